"""Feeds, sitemaps and structured data say the edition's language (NEWSROOM_LANGUAGE), each as
its readers spell it; an English edition says what it always said."""

import json
import re
import xml.etree.ElementTree as ET

import pytest

from tests.api_helpers import api_get, make_key
from tests.factories import make_article

pytestmark = pytest.mark.django_db

NEWS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9"}  # fmt: skip
# language: (RSS <language> and ninjs language, <news:language>, schema.org inLanguage, og:locale)
SPELLINGS = {
    "en": ("en-us", "en", "en", "en_US"),
    "he": ("he", "he", "he", "he_IL"),
    "ar": ("ar", "ar", "ar", "ar_AR"),
}


@pytest.fixture(params=SPELLINGS)
def language(request, settings):
    settings.NEWSROOM_LANGUAGE = settings.LANGUAGE_CODE = request.param
    return request.param


def json_ld(html: str) -> dict[str, dict]:
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return {data["@type"]: data for data in map(json.loads, scripts)}


def test_rss_feeds_name_the_language(client, language):
    make_article()

    for feed in ("/feed/", "/corrections/feed/"):
        channel = ET.fromstring(client.get(feed).content).find("channel")
        assert channel.findtext("language") == SPELLINGS[language][0], feed


def test_the_news_sitemap_names_the_language(client, language):
    make_article()

    root = ET.fromstring(client.get("/sitemap-news.xml").content)
    found = root.findtext("s:url/news:news/news:publication/news:language", namespaces=NEWS)
    assert found == SPELLINGS[language][1]


def test_structured_data_names_the_language(client, language):
    story = make_article()

    article_page = client.get(story.get_absolute_url()).content.decode()
    home = client.get("/").content.decode()

    assert json_ld(article_page)["NewsArticle"]["inLanguage"] == SPELLINGS[language][2]
    assert json_ld(home)["WebSite"]["inLanguage"] == SPELLINGS[language][2]


def test_opengraph_names_the_locale(client, language):
    story = make_article()

    for page in (story.get_absolute_url(), "/"):
        html = client.get(page).content.decode()
        locale = f'<meta property="og:locale" content="{SPELLINGS[language][3]}">'
        assert locale in html, page


def test_the_content_api_names_the_language_in_ninjs(client, language):
    story = make_article()

    item = api_get(client, f"/api/v1/stories/{story.pk}/?format=ninjs", make_key()).json()

    assert item["language"] == SPELLINGS[language][0]
