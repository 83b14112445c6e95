"""Unpublished things stay invisible to readers, and malformed addresses answer 404, never 500."""

import pytest
from django.contrib.auth.models import User

from articles.models import Article
from tests.factories import make_article, make_author, make_section
from tests.factories_comments import make_comment

pytestmark = pytest.mark.django_db


def test_the_feed_of_a_tag_used_only_on_drafts_is_404(client):
    make_article(status=Article.Status.DRAFT, tags=["Secret merger"])
    make_article(tags=["Weather"])

    assert client.get("/feed/tag/secret-merger/").status_code == 404
    assert client.get("/feed/tag/weather/").status_code == 200


def test_an_author_with_no_published_story_has_no_public_page(client):
    newcomer = make_author(name="New Hire", slug="new-hire")
    make_article(status=Article.Status.DRAFT, authors=[newcomer])
    published = make_author(slug="veteran")
    make_article(authors=[published])

    assert client.get("/author/new-hire/").status_code == 404
    assert client.get("/author/veteran/").status_code == 200


def test_a_comment_decision_on_an_id_that_is_not_a_number_is_404(client):
    admin = User.objects.create_superuser("boss", "boss@example.com", "x")
    client.force_login(admin)
    comment = make_comment(make_article())

    for decision in ("approve", "reject", "spam"):
        assert client.post(f"/admin/comments/comment/abc/{decision}/").status_code == 404
        assert (
            client.post(f"/admin/comments/comment/{comment.pk + 1000}/{decision}/").status_code
            == 404
        )


@pytest.mark.parametrize(
    "url",
    [
        "/preview/99999999999999999999999/",
        "/comments/99999999999999999999999/",
        "/comments/report/99999999999999999999999/",
        "/admin/articles/article/abc/change/",
        "/admin/articles/photo/abc/change/",
        "/admin/comments/comment/abc/change/",
        "/admin/articles/article/99999999999999999999999/change/",
        "/?page=abc",
        "/search/?q=x&page=99999999999999999999999",
    ],
)
def test_malformed_ids_and_pages_never_answer_500(client, url):
    admin = User.objects.create_superuser("boss", "boss@example.com", "x")
    client.force_login(admin)
    make_section(slug="world")

    assert client.get(url).status_code in {200, 302, 404}
