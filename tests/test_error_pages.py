import pytest
from django.template.loader import render_to_string

pytestmark = pytest.mark.django_db


def test_the_404_page_is_styled_and_offers_a_way_on(client):
    response = client.get("/no/such/page/here/")
    html = response.content.decode()

    assert response.status_code == 404
    assert "We could not find that page" in html
    assert '<a class="skip-link" href="#main">' in html
    assert '<nav class="section-nav"' in html or '<header class="site-header">' in html
    assert '<label for="notfound-q">Search published stories</label>' in html
    assert '<meta name="robots" content="noindex">' in html


def test_the_500_page_renders_without_a_request_or_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("500.html")

    assert "Something went wrong on our side" in html
    assert '<html lang="en" dir="ltr">' in html
    assert "/static/css/site.css" in html
