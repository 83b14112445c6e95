"""The newsroom's standards (issue 21): publishing principles, corrections and ethics policies,
written by editors in the admin, served at stable addresses, linked from every page's footer and
from the organisation's structured data."""

import json
import re

import pytest
from django.core.exceptions import ValidationError

from articles.models import PolicyPage, Section
from tests.factories import make_article

pytestmark = pytest.mark.django_db

KINDS = PolicyPage.Kind


def organisation(html: str) -> dict:
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    for data in map(json.loads, scripts):
        if data["@type"] == "NewsMediaOrganization":
            return data
        if (
            "publisher" in data
            and isinstance(data["publisher"], dict)
            and "name" in data["publisher"]
        ):
            return data["publisher"]
    raise AssertionError("no organisation on the page")


def write_policies():
    for kind, title in [
        (KINDS.PUBLISHING_PRINCIPLES, "Our principles"),
        (KINDS.CORRECTIONS_POLICY, "How we correct"),
        (KINDS.ETHICS_POLICY, "Our ethics"),
    ]:
        PolicyPage.objects.create(kind=kind, title=title, body=f"<p>{title}, in full.</p>")


def test_each_policy_is_served_at_its_stable_address(client):
    write_policies()

    for path, title in [
        ("/about/publishing-principles/", "Our principles"),
        ("/about/corrections-policy/", "How we correct"),
        ("/about/ethics-policy/", "Our ethics"),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert f'<h1 class="headline">{title}</h1>' in response.content.decode()
        assert "public" in response["Cache-Control"]


def test_a_policy_not_written_yet_is_not_found(client):
    assert client.get("/about/ethics-policy/").status_code == 404
    assert client.get("/about/anything-else/").status_code == 404


def test_the_organisation_links_its_policies_on_home_and_on_every_story(client):
    write_policies()
    story = make_article()

    for url in ["/", story.get_absolute_url()]:
        data = organisation(client.get(url).content.decode())
        assert data["publishingPrinciples"] == "http://testserver/about/publishing-principles/"
        assert data["correctionsPolicy"] == "http://testserver/about/corrections-policy/"
        assert data["ethicsPolicy"] == "http://testserver/about/ethics-policy/"


def test_only_written_policies_are_linked(client):
    PolicyPage.objects.create(kind=KINDS.ETHICS_POLICY, title="Our ethics", body="<p>x</p>")

    html = client.get("/").content.decode()
    data = organisation(html)

    assert data["ethicsPolicy"] == "http://testserver/about/ethics-policy/"
    assert "publishingPrinciples" not in data
    footer = html[html.index('<footer class="site-footer">') :]
    assert '<a href="/about/ethics-policy/">Our ethics</a>' in footer
    assert "publishing-principles" not in footer


def test_a_new_policy_shows_on_cached_pages_at_once(
    client, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    assert "ethicsPolicy" not in client.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        PolicyPage.objects.create(kind=KINDS.ETHICS_POLICY, title="Our ethics", body="<p>x</p>")

    assert "ethicsPolicy" in client.get("/").content.decode()


def test_a_policy_body_is_sanitised():
    page = PolicyPage.objects.create(
        kind=KINDS.ETHICS_POLICY, title="Ethics", body='<p onclick="x()">Fair<script>x</script></p>'
    )

    assert page.body == "<p>Fair</p>"


def test_no_section_can_take_the_policies_address():
    with pytest.raises(ValidationError) as error:
        Section(name="About", slug="about").full_clean()

    assert "slug" in error.value.message_dict


def test_a_reporter_cannot_write_a_policy_and_an_editor_can(reporter_client, editor):
    data = {"kind": KINDS.ETHICS_POLICY, "title": "Ethics", "body": "<p>We do not lie.</p>"}

    assert reporter_client.post("/admin/articles/policypage/add/", data).status_code == 403
    assert not PolicyPage.objects.exists()

    reporter_client.force_login(editor)
    assert reporter_client.post("/admin/articles/policypage/add/", data).status_code == 302
    assert PolicyPage.objects.get().title == "Ethics"
