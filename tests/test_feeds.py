import xml.etree.ElementTree as ET
from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db

DC = "{http://purl.org/dc/elements/1.1/}"


def feed_items(client, url) -> list[ET.Element]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    return channel.findall("item")


def test_the_feed_parses_and_lists_the_newest_story_first(client):
    now = timezone.now()
    older = make_article(headline="Older story", published_at=now - timedelta(hours=5))
    newest = make_article(headline="Newest story", published_at=now - timedelta(minutes=1))
    middle = make_article(headline="Middle story", published_at=now - timedelta(hours=1))

    items = feed_items(client, "/feed/")

    assert [item.findtext("title") for item in items] == [
        newest.headline,
        middle.headline,
        older.headline,
    ]
    dates = [parsedate_to_datetime(item.findtext("pubDate")) for item in items]
    assert dates == sorted(dates, reverse=True)
    assert items[0].findtext("link") == f"http://testserver{newest.get_absolute_url()}"
    assert client.get("/feed/")["Cache-Control"].startswith("public, max-age=300, s-maxage=300")


def test_feed_items_carry_author_image_enclosure_and_categories(client):
    section = make_section("World")
    make_article(
        headline="Blinken heads to Israel",
        subheadline="Cautious optimism.",
        section=section,
        authors=[make_author("Dana Levi"), make_author("Michael Rosen")],
        tags=["Antony Blinken", "Hostage Deal"],
        lead_photo=make_photo(),
    )

    (item,) = feed_items(client, "/feed/")
    enclosure = item.find("enclosure")

    assert item.findtext("description") == "Cautious optimism."
    assert item.findtext(f"{DC}creator") == "Dana Levi, Michael Rosen"
    assert sorted(category.text for category in item.findall("category")) == [
        "Antony Blinken",
        "Hostage Deal",
        "World",
    ]
    assert enclosure.get("url").startswith("http://testserver/media/renditions/")
    assert enclosure.get("type") == "image/jpeg"
    assert int(enclosure.get("length")) > 0
    stored = enclosure.get("url").removeprefix("http://testserver/media/")
    assert default_storage.size(stored) == int(enclosure.get("length"))


def test_feeds_leave_out_drafts_and_scheduled_stories(client):
    make_article(headline="Public")
    make_article(headline="Draft", status=Article.Status.DRAFT)
    make_article(headline="Scheduled", published_at=timezone.now() + timedelta(hours=1))

    assert [item.findtext("title") for item in feed_items(client, "/feed/")] == ["Public"]


def test_section_and_tag_feeds_hold_only_their_stories(client):
    world = make_section("World", slug="world")
    make_article(headline="World story", section=world)
    make_article(headline="Tagged story", tags=["Energy"])
    make_article(headline="Neither")

    section_items = feed_items(client, "/feed/section/world/")
    tag_items = feed_items(client, "/feed/tag/energy/")

    assert [item.findtext("title") for item in section_items] == ["World story"]
    assert [item.findtext("title") for item in tag_items] == ["Tagged story"]
    channel = ET.fromstring(client.get("/feed/section/world/").content).find("channel")
    assert channel.findtext("title") == "World – Newsroom"


@pytest.mark.parametrize("url", ["/feed/section/nowhere/", "/feed/tag/nothing/"])
def test_unknown_feeds_are_404(client, url):
    assert client.get(url).status_code == 404


def test_every_page_names_its_feeds(client):
    world = make_section("World", slug="world")
    story = make_article(section=world, tags=["Energy"])

    for url in ("/", "/world/", "/tag/energy/", story.get_absolute_url(), "/search/?q=x"):
        html = client.get(url).content.decode()
        assert (
            '<link rel="alternate" type="application/rss+xml" title="Newsroom: latest stories" href="/feed/">'
            in html
        ), url
    assert 'href="/feed/tag/energy/"' in client.get("/tag/energy/").content.decode()


def test_the_feed_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    for _ in range(10):
        make_article(
            authors=[make_author(), make_author()], tags=["A", "B"], lead_photo=make_photo()
        )

    # Expect 3 queries: the stories with sections and photos; their bylines; their tags.
    with django_assert_num_queries(3):
        client.get("/feed/")
