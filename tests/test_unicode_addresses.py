"""A Hebrew story end to end: slugs in any alphabet give working addresses everywhere a story's
address goes (the admin, the page, its canonical link, the sitemap, feeds, redirects, purges),
percent-encoded UTF-8 on the wire."""

import html
import io
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article
from tests.admin_forms import article_post
from tests.factories import make_article, make_author, make_section
from tests.wsgi_client import wsgi_get

pytestmark = pytest.mark.django_db

SECTION, SLUG = "חדשות", "הממשלה-אישרה-את-התקציב"
HEADLINE = "הממשלה אישרה את התקציב"
# The address as links carry it: percent-encoded UTF-8 (RFC 3987's mapping of an IRI).
PATH = f"/{quote(SECTION)}/{quote(SLUG)}/"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def hebrew_story(editor_client, purges, django_capture_on_commit_callbacks):
    """Published by an editor through the admin, as the prepopulated slug makes it."""
    section = make_section(SECTION, slug=SECTION)
    author = make_author("דנה לוי", slug="דנה-לוי")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            "/admin/articles/article/add/",
            article_post(
                section=section,
                authors=[author],
                status=Article.Status.PUBLISHED,
                kicker="תקציב",
                headline=HEADLINE,
                slug=SLUG,
                tags="כלכלה",
                body="<p>השרים הצביעו בלילה על התקציב.</p>",
            ),
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Article.objects.get(slug=SLUG)


def test_the_admin_makes_slugs_in_any_alphabet_from_the_headline(editor_client):
    page = html.unescape(editor_client.get("/admin/articles/article/add/").content.decode())

    fields = json.loads(re.search(r"data-prepopulated-fields=\"(\[.*?\])\"", page).group(1))
    (slug,) = [field for field in fields if field["name"] == "slug"]
    assert slug["dependency_list"] == ["headline"]
    assert slug["allowUnicode"] is True  # urlify.js keeps Hebrew and Arabic letters


def test_a_hebrew_story_published_from_the_admin_has_a_hebrew_address(client, hebrew_story):
    assert hebrew_story.is_published
    assert hebrew_story.get_absolute_url() == PATH

    for path in (PATH, f"/{SECTION}/{SLUG}/"):  # encoded, as browsers send it, or not
        response = client.get(path)
        assert response.status_code == 200
        assert HEADLINE in response.content.decode()
    page = client.get(PATH).content.decode()
    assert f'<link rel="canonical" href="http://testserver{PATH}">' in page
    assert f'href="/feed/section/{quote(SECTION)}/"' in page
    assert client.get(f"/{SECTION}/").status_code == 200
    assert client.get(f"/author/{quote('דנה-לוי')}/").status_code == 200
    tag = hebrew_story.tags.get()
    assert tag.slug == "כלכלה"
    assert client.get(reverse("articles:tag", args=[tag.slug])).status_code == 200


def test_a_hebrew_address_is_in_the_sitemaps_and_feeds(client, hebrew_story):
    url = f"http://testserver{PATH}"

    sitemap = ET.fromstring(client.get("/sitemap.xml").content)
    locations = [loc.text for loc in sitemap.findall("s:url/s:loc", SITEMAP_NS)]
    assert url in locations and f"http://testserver/{quote(SECTION)}/" in locations
    news = ET.fromstring(client.get("/sitemap-news.xml").content)
    assert [loc.text for loc in news.findall("s:url/s:loc", SITEMAP_NS)] == [url]

    for feed in ("/feed/", f"/feed/section/{quote(SECTION)}/", f"/feed/tag/{quote('כלכלה')}/"):
        response = client.get(feed)
        assert response.status_code == 200, feed
        links = [i.findtext("link") for i in ET.fromstring(response.content).iter("item")]
        assert links == [url], feed
    assert client.get(f"/feed/author/{quote('דנה-לוי')}/").status_code == 200


def test_a_hebrew_page_is_kept_and_answered_from_its_copy(settings, hebrew_story):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    section_page = f"/{quote(SECTION)}/"

    first = wsgi_get(section_page)
    wsgi_get(section_page)  # served from the copy, and kept as an answer beside it
    again = wsgi_get(section_page)

    assert first.status == again.status == 200
    assert not again.handled_by_django  # the kept answer, before Django
    assert again.body == first.body and HEADLINE.encode() in again.body


def test_publishing_a_hebrew_story_purges_the_pages_showing_it(purges, hebrew_story):
    assert f"story-{hebrew_story.pk}" in purges[-1]
    assert f"section-{hebrew_story.section_id}" in purges[-1]


def test_a_hebrew_story_moved_to_a_new_address_answers_at_the_old_one(client, hebrew_story):
    hebrew_story.slug = "התקציב-אושר"
    hebrew_story.save()

    response = client.get(PATH)

    assert response.status_code == 301
    assert response["Location"] == f"/{quote(SECTION)}/{quote('התקציב-אושר')}/"
    assert client.get(response["Location"]).status_code == 200


def test_arabic_slugs_work_too(client):
    story = make_article(section=make_section("أخبار", slug="أخبار"), slug="الحكومة-تقر-الميزانية")

    assert client.get(story.get_absolute_url()).status_code == 200


def test_stories_loaded_without_a_slug_get_one_in_their_own_alphabet(tmp_path, editor):
    make_section("חדשות", slug="news")
    make_author("דנה לוי", slug="dana")
    path = tmp_path / "stories.json"
    story = {
        "external_id": "a-1",
        "section": "news",
        "authors": ["dana"],
        "headline": "גשם כבד בצפון",
    }
    path.write_text(json.dumps({"stories": [story]}), encoding="utf-8")

    call_command("load_stories", str(path), "--by", editor.username, stdout=io.StringIO())

    assert Article.objects.get().slug == "גשם-כבד-בצפון"
