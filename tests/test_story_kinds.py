"""Story kinds (issue 21): readers are told what kind of story they read, by a label above the
headline wherever the story is listed, in feeds, and to search engines by its schema.org type; a
sponsored story names its sponsor, stays out of Google News and marks its links as paid for."""

import json
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article, Kind
from tests.admin_forms import article_post
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

LABELS = {
    Kind.ANALYSIS: "Analysis",
    Kind.OPINION: "Opinion",
    Kind.REVIEW: "Review",
    Kind.SPONSORED: "Sponsored by Acme Bank",
    Kind.LIVE: "Live",
}
TYPES = {
    Kind.NEWS: "NewsArticle",
    Kind.ANALYSIS: "AnalysisNewsArticle",
    Kind.OPINION: "OpinionNewsArticle",
    Kind.REVIEW: "ReviewNewsArticle",
    Kind.SPONSORED: "AdvertiserContentArticle",
    Kind.LIVE: "LiveBlogPosting",
}


def story_of(kind, **fields) -> Article:
    sponsor = "Acme Bank" if kind == Kind.SPONSORED else ""
    return make_article(kind=kind, sponsor=sponsor, **fields)


def text_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def label(text: str) -> str:
    return f'">{text}</p>'


def cards(html: str, url: str) -> list[str]:
    """The story cards (and latest-news entries) on a page that link to `url`."""
    blocks = re.findall(
        r'<article class="story .*?</article>|<li>\s*<p class="(?:story-label|kicker).*?</li>',
        html,
        re.S,
    )
    return [block for block in blocks if f'href="{url}"' in block]


def json_ld_types(html: str) -> list[str]:
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(script)["@type"] for script in scripts]


@pytest.mark.parametrize("kind", list(LABELS))
def test_each_kind_is_labelled_above_the_headline_on_its_page_and_every_card(client, kind):
    world, writer = make_section(slug="world"), make_author(slug="dana-levi")
    story = story_of(
        kind, section=world, authors=[writer], tags=["Budget"], headline="Budget vote tonight"
    )
    # Another story sharing its topic lists it among related stories.
    neighbour = make_article(section=world, tags=["Budget"])

    page = text_of(client, story.get_absolute_url())
    header = re.search(r'<header class="article-header">.*?</header>', page, re.S).group()
    assert header.index(label(LABELS[kind])) < header.index("Budget vote tonight</h1>")
    lists = ["/", "/world/", "/tag/budget/", "/author/dana-levi/", "/search/?q=budget"]
    for url in [*lists, neighbour.get_absolute_url()]:
        found = cards(text_of(client, url), story.get_absolute_url())
        assert found, url
        for card in found:
            assert card.index(label(LABELS[kind])) < card.index("vote tonight"), url


def test_news_the_default_kind_carries_no_label(client):
    story = make_article(headline="Plain news")

    assert story.kind == Kind.NEWS
    assert "story-label" not in text_of(client, story.get_absolute_url())
    assert "story-label" not in text_of(client, "/")


@pytest.mark.parametrize("kind", list(TYPES))
def test_the_structured_data_type_follows_the_kind(client, kind):
    story = story_of(kind)

    types = json_ld_types(text_of(client, story.get_absolute_url()))

    assert TYPES[kind] in types
    assert "BreadcrumbList" in types
    if kind != Kind.NEWS:
        assert "NewsArticle" not in types


def test_a_sponsored_story_names_its_sponsor_to_search_engines(client):
    story = story_of(Kind.SPONSORED)
    scripts = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>',
        text_of(client, story.get_absolute_url()),
        re.S,
    )
    data = next(d for d in map(json.loads, scripts) if d["@type"] == "AdvertiserContentArticle")

    assert data["sponsor"] == {"@type": "Organization", "name": "Acme Bank"}


@pytest.mark.parametrize("kind", list(LABELS))
def test_feeds_carry_the_kind_as_the_first_category(client, kind):
    story = story_of(kind, headline="Labelled in feeds")

    feed = text_of(client, "/feed/")
    item = feed[feed.index("<item>") : feed.index("</item>")]

    assert "Labelled in feeds" in item
    assert item.index(f"<category>{LABELS[kind]}</category>") < item.index(
        f"<category>{story.section.name}</category>"
    )


def test_a_sponsored_story_is_never_in_the_google_news_sitemap(client):
    # Both just out: well inside the news sitemap's 48 hours.
    sponsored = story_of(Kind.SPONSORED, published_at=timezone.now() - timedelta(minutes=5))
    opinion = story_of(Kind.OPINION, published_at=timezone.now() - timedelta(minutes=5))

    news = text_of(client, "/sitemap-news.xml")
    everything = text_of(client, "/sitemap.xml")

    assert sponsored.slug not in news
    assert opinion.slug in news
    assert sponsored.slug in everything


def test_a_sponsored_storys_links_are_marked_as_paid_for_and_lose_the_mark_with_the_kind():
    body = '<p>Open <a href="https://bank.example/offer" rel="dofollow">an account</a>.</p>'
    story = story_of(Kind.SPONSORED, body=body)

    assert 'rel="sponsored noopener noreferrer nofollow"' in story.body
    assert "dofollow" not in story.body

    story.kind = Kind.NEWS
    story.save()
    assert "sponsored" not in story.body
    assert 'rel="noopener noreferrer nofollow"' in story.body


def test_a_sponsored_storys_body_is_still_sanitised():
    story = story_of(
        Kind.SPONSORED,
        body='<p onclick="x()">Hi<script>alert(1)</script><a href="javascript:x">y</a></p>',
    )

    assert "script" not in story.body
    assert "onclick" not in story.body
    assert "javascript" not in story.body


def test_a_sponsored_story_cannot_be_published_without_its_sponsor(editor):
    story = make_article(status=Article.Status.DRAFT, kind=Kind.SPONSORED)

    with pytest.raises(ValidationError) as error:
        story.publish(by=editor)

    assert error.value.message_dict["sponsor"] == ["A sponsored story names its sponsor."]


def test_the_admin_form_asks_for_the_sponsor_of_a_sponsored_story(editor_client):
    section, author = make_section(), make_author()
    data = article_post(
        section=section, authors=[author], status=Article.Status.PUBLISHED, kind=Kind.SPONSORED
    )

    response = editor_client.post("/admin/articles/article/add/", data)

    assert response.status_code == 200
    assert "A sponsored story names its sponsor." in response.content.decode()
    assert not Article.objects.exists()

    data["sponsor"] = "Acme Bank"
    assert editor_client.post("/admin/articles/article/add/", data).status_code == 302
    assert Article.objects.get().kind_label == "Sponsored by Acme Bank"
