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


MEDIA = "{http://search.yahoo.com/mrss/}"


def test_a_story_keeps_its_guid_when_its_slug_and_section_change(client):
    story = make_article(headline="Talks resume", slug="talks-resume")
    (before,) = feed_items(client, "/feed/")

    story.slug = "ceasefire-talks-resume"
    story.section = make_section("Middle East", slug="middle-east")
    story.save()
    (after,) = feed_items(client, "/feed/")

    guid = before.find("guid")
    assert guid.get("isPermaLink") == "false"
    assert guid.text == after.findtext("guid")
    assert guid.text == f"tag:testserver,{story.created_at:%Y-%m-%d}:story:{story.pk}"
    assert after.findtext("link") == "http://testserver/middle-east/ceasefire-talks-resume/"


def test_each_story_has_its_own_guid(client):
    make_article()
    make_article()

    guids = [item.findtext("guid") for item in feed_items(client, "/feed/")]

    assert len(set(guids)) == 2


def test_the_lead_photo_is_media_content_with_its_caption_and_credit(client):
    photo = make_photo(caption="Antony Blinken", photographer="Alexandros Michailidis")
    make_article(lead_photo=photo)

    (item,) = feed_items(client, "/feed/")
    media = item.find(f"{MEDIA}content")

    largest = photo.rendition_set("jpeg")[-1]
    assert media.get("url") == f"http://testserver{largest['url']}"
    assert (media.get("width"), media.get("height")) == ("800", "500")
    assert media.get("medium") == "image"
    assert media.get("type") == "image/jpeg"
    assert media.findtext(f"{MEDIA}description") == "Antony Blinken"
    assert media.findtext(f"{MEDIA}credit") == "Alexandros Michailidis / Shutterstock"


def test_a_story_without_a_photo_has_no_media_content(client):
    make_article()

    (item,) = feed_items(client, "/feed/")

    assert item.find(f"{MEDIA}content") is None


def test_the_channel_has_the_publisher_logo_as_its_image(client):
    channel = ET.fromstring(client.get("/feed/").content).find("channel")
    image = channel.find("image")

    assert image.findtext("url") == "http://testserver/static/img/newsroom-logo.png"
    assert image.findtext("title") == channel.findtext("title")
    assert image.findtext("link") == channel.findtext("link") == "http://testserver/"


def test_an_author_feed_holds_only_their_stories_and_their_page_names_it(client):
    dana = make_author("Dana Levi", slug="dana-levi")
    theirs = make_article(headline="By Dana", authors=[dana, make_author()])
    make_article(headline="By someone else")

    items = feed_items(client, "/feed/author/dana-levi/")

    assert [item.findtext("title") for item in items] == [theirs.headline]
    assert 'href="/feed/author/dana-levi/"' in client.get("/author/dana-levi/").content.decode()
    assert client.get("/feed/author/nobody/").status_code == 404
