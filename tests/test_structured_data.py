"""What search engines and social networks read: JSON-LD, OpenGraph/Twitter tags and robots."""

import json
import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from newsroom.demo import ensure_authors, ensure_reference_article, ensure_sections
from tests.factories import make_article, make_author, make_photo, make_section
from tests.factories_comments import make_comment

pytestmark = pytest.mark.django_db

RATIOS = {"16x9": 16 / 9, "4x3": 4 / 3, "1x1": 1.0}


@pytest.fixture
def reference():
    return ensure_reference_article(ensure_sections(), ensure_authors())


def html_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def json_ld(html: str) -> dict[str, dict]:
    """Every JSON-LD object on the page, by @type."""
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return {data["@type"]: data for data in map(json.loads, scripts)}


def meta(html: str, key: str) -> str | None:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    return match.group(1) if match else None


def test_the_publisher_is_a_news_media_organization_with_a_sized_logo(client, reference):
    story = json_ld(html_of(client, reference.get_absolute_url()))["NewsArticle"]
    publisher = story["publisher"]

    assert publisher["@type"] == "NewsMediaOrganization"
    assert publisher["name"] == "Newsroom"
    assert publisher["url"] == "http://testserver/"
    assert publisher["logo"]["@type"] == "ImageObject"
    assert publisher["logo"]["url"] == "http://testserver/static/img/newsroom-logo.png"
    assert (publisher["logo"]["width"], publisher["logo"]["height"]) == (512, 512)


def test_the_publisher_address_and_logo_come_from_settings(client, settings, reference):
    settings.NEWSROOM_SITE_URL = "https://news.example.com/"
    settings.NEWSROOM_PUBLISHER_LOGO = "https://cdn.example.com/logo.png"

    publisher = json_ld(html_of(client, reference.get_absolute_url()))["NewsArticle"]["publisher"]

    assert publisher["url"] == "https://news.example.com/"
    assert publisher["logo"]["url"] == "https://cdn.example.com/logo.png"


def test_the_story_image_comes_in_three_ratios_at_least_1200_wide_with_sizes(client, reference):
    images = json_ld(html_of(client, reference.get_absolute_url()))["NewsArticle"]["image"]

    assert len(images) == 3
    for image, ratio in zip(images, RATIOS.values(), strict=True):
        assert image["@type"] == "ImageObject"
        assert image["url"].startswith("http://testserver/media/renditions/")
        assert image["width"] >= 1200
        assert image["width"] / image["height"] == pytest.approx(ratio, rel=0.01)
        assert image["creditText"] == "Alexandros Michailidis / Shutterstock"
        assert default_storage.exists(image["url"].removeprefix("http://testserver/media/"))


def test_date_modified_is_the_publication_time_until_the_story_is_updated(client):
    story = make_article(body="<p>One two three four five six seven eight nine ten.</p>")
    story.save()  # a save that changes nothing readers see is not an update

    html = html_of(client, story.get_absolute_url())
    data = json_ld(html)["NewsArticle"]
    published = story.published_at.isoformat(timespec="seconds")

    assert data["datePublished"] == data["dateModified"] == published
    assert meta(html, "article:modified_time") == published
    assert 'class="updated"' not in html


def test_date_modified_is_the_visible_updated_time(client):
    story = make_article(published_at=timezone.now() - timedelta(hours=3))
    story.body = "<p>A new paragraph with many more words than a small correction would add.</p>"
    story.save()
    story.refresh_from_db()
    assert story.revised_at is not None

    html = html_of(client, story.get_absolute_url())
    updated = story.revised_at.isoformat(timespec="seconds")

    assert f'Updated <time datetime="{updated}">' in html
    assert json_ld(html)["NewsArticle"]["dateModified"] == updated
    assert meta(html, "article:modified_time") == updated


def test_the_sitemap_lastmod_matches_date_modified(client):
    story = make_article(published_at=timezone.now() - timedelta(hours=3))
    story.body = "<p>A new paragraph with many more words than a small correction would add.</p>"
    story.save()

    date_modified = json_ld(html_of(client, story.get_absolute_url()))["NewsArticle"][
        "dateModified"
    ]
    sitemap = client.get("/sitemap.xml").content.decode()
    entry = re.search(rf"<loc>[^<]*{story.slug}/</loc><lastmod>([^<]+)</lastmod>", sitemap)

    assert entry.group(1) == date_modified


def test_the_breadcrumb_leads_from_home_through_the_section_to_the_story(client, reference):
    crumbs = json_ld(html_of(client, reference.get_absolute_url()))["BreadcrumbList"]

    assert [
        (item["position"], item["name"], item["item"]) for item in crumbs["itemListElement"]
    ] == [
        (1, "Newsroom", "http://testserver/"),
        (2, "World", "http://testserver/world/"),
        (3, reference.headline, f"http://testserver{reference.get_absolute_url()}"),
    ]


def test_reader_pages_allow_large_image_previews(client, reference):
    author = reference.byline_authors[0]
    for url in (
        "/",
        "/world/",
        "/tag/antony-blinken/",
        author.get_absolute_url(),
        reference.get_absolute_url(),
    ):
        assert '<meta name="robots" content="max-image-preview:large">' in html_of(client, url), url


def test_comment_pages_are_described_and_kept_out_of_search_results(client, reference):
    html = html_of(client, f"/comments/{reference.pk}/")

    assert '<meta name="robots" content="noindex, follow">' in html
    assert f"Readers’ comments on “{reference.headline}”" in meta(html, "description")


def test_the_story_social_card_has_a_sized_image_with_alt_text_and_locale(client, reference):
    html = html_of(client, reference.get_absolute_url())

    assert meta(html, "og:locale") == "en_US"
    assert re.fullmatch(
        r"http://testserver/media/renditions/\S+-16x9-1200-\S+\.jpg", meta(html, "og:image")
    )
    assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("1200", "675")
    assert meta(html, "og:image:alt") == "Antony Blinken speaking at a lectern in front of flags"
    assert meta(html, "twitter:image:alt") == meta(html, "og:image:alt")
    assert meta(html, "twitter:card") == "summary_large_image"


def test_search_and_social_fields_replace_the_headline_subheadline_and_photo(client):
    social = make_photo(alt_text="A crowd at the border crossing")
    story = make_article(
        lead_photo=make_photo(),
        seo_title="Ceasefire talks: what we know",
        meta_description="The state of the talks, in short.",
        social_headline="Will the ceasefire hold?",
        social_image=social,
    )

    html = html_of(client, story.get_absolute_url())

    assert "<title>Ceasefire talks: what we know – Newsroom</title>" in html
    assert meta(html, "description") == "The state of the talks, in short."
    assert meta(html, "og:title") == meta(html, "twitter:title") == "Will the ceasefire hold?"
    assert meta(html, "og:image:alt") == "A crowd at the border crossing"
    assert f"/renditions/{social.pk}/" in meta(html, "og:image")
    assert f'<h1 class="headline">{story.headline}</h1>' in html


def test_without_search_and_social_fields_the_story_uses_what_readers_see(client):
    story = make_article(headline="Talks resume", subheadline="Both sides return.")

    html = html_of(client, story.get_absolute_url())

    assert "<title>Talks resume – Newsroom</title>" in html
    assert meta(html, "og:title") == "Talks resume"
    assert meta(html, "og:description") == "Both sides return."
    assert meta(html, "og:image") is None
    assert meta(html, "twitter:card") == "summary"


def test_home_carries_the_website_with_its_search_and_the_organisation(client, reference):
    html = html_of(client, "/")
    data = json_ld(html)

    action = data["WebSite"]["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "http://testserver/search/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"
    assert data["NewsMediaOrganization"]["logo"]["url"].endswith("/static/img/newsroom-logo.png")
    assert meta(html, "og:image") == "http://testserver/static/img/newsroom-logo.png"


def test_section_tag_and_author_pages_have_their_own_title_description_and_image(client):
    world = make_section("World", slug="world", description="News from around the globe.")
    author = make_author("Dana Levi", slug="dana-levi", bio="Dana covers diplomacy.")
    story = make_article(section=world, authors=[author], tags=["Energy"], lead_photo=make_photo())
    expected = {
        "/world/": ("World", "News from around the globe."),
        "/tag/energy/": ("Energy", "Stories about Energy from Newsroom."),
        "/author/dana-levi/": ("Dana Levi", "Dana covers diplomacy."),
    }

    for url, (title, description) in expected.items():
        html = html_of(client, url)
        assert meta(html, "og:title") == title, url
        assert meta(html, "og:description") == meta(html, "description") == description, url
        assert f"/renditions/{story.lead_photo.pk}/" in meta(html, "og:image"), url
        assert meta(html, "og:image:width") == "800", url
        assert meta(html, "og:url") == f"http://testserver{url}", url


def test_an_author_page_is_a_profile_page_about_a_person(client):
    author = make_author("Dana Levi", slug="dana-levi", bio="Dana covers diplomacy.")
    make_article(authors=[author])

    html = html_of(client, "/author/dana-levi/")
    profile = json_ld(html)["ProfilePage"]

    assert profile["mainEntity"] == {
        "@type": "Person",
        "name": "Dana Levi",
        "url": "http://testserver/author/dana-levi/",
        "description": "Dana covers diplomacy.",
    }
    assert meta(html, "og:type") == "profile"


def test_no_reader_page_has_a_time_with_microseconds(client, reference):
    make_comment(reference)
    author = reference.byline_authors[0]
    urls = [
        "/",
        "/world/",
        "/tag/antony-blinken/",
        author.get_absolute_url(),
        "/search/?q=ceasefire",
        reference.get_absolute_url(),
        f"/comments/{reference.pk}/",
    ]
    for url in urls:
        html = html_of(client, url)
        times = re.findall(r'<time datetime="([^"]+)"', html)
        assert times, url
        for value in times:
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", value), (url, value)


def test_a_body_with_an_ampersand_gives_descriptions_with_the_ampersand_once(client):
    story = make_article(subheadline="", body="<p>Salt &amp; pepper</p><p>Bread &lt;fresh&gt;</p>")
    html = html_of(client, story.get_absolute_url())
    # The page escapes once: the attribute reads "Salt & pepper" to every parser.
    assert meta(html, "description") == "Salt &amp; pepper Bread &lt;fresh&gt;"
    assert meta(html, "og:description") == "Salt &amp; pepper Bread &lt;fresh&gt;"
    assert json_ld(html)["NewsArticle"]["description"] == "Salt & pepper Bread <fresh>"
    feed = client.get("/feed/").content.decode()
    description = re.search(r"<item>.*?<description>(.*?)</description>", feed, re.S).group(1)
    assert description == "Salt &amp; pepper Bread &lt;fresh&gt;"
    # content:encoded carries the HTML as XML text: escaped once more, read back as it was.
    item = ElementTree.fromstring(feed).find("channel/item")
    content = item.find("{http://purl.org/rss/1.0/modules/content/}encoded").text
    assert content == "<p>Salt &amp; pepper</p><p>Bread &lt;fresh&gt;</p>"
