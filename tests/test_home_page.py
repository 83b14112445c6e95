import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from articles.templatetags.site_tags import relative_time, story_time
from tests.factories import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db


def home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_lead_story_has_a_large_photo_loaded_first(client):
    make_article(headline="Older story with photo", lead_photo=make_photo())
    make_article(
        headline="The lead story",
        subheadline="The lead's dek",
        lead_photo=make_photo(alt_text="Crowds in the square"),
        published_at=timezone.now(),
    )

    html = home(client)
    lead = re.search(r'<article class="story story--lead">.*?</article>', html, re.S).group()

    assert "The lead story</a></h2>" in lead
    assert "The lead&#x27;s dek" in lead
    assert 'alt="Crowds in the square"' in lead
    assert 'fetchpriority="high"' in lead
    # Below the fold, other photos load lazily.
    rest = html.replace(lead, "")
    assert 'loading="lazy"' in rest
    assert 'fetchpriority="high"' not in rest


def test_the_lead_is_the_newest_story_with_a_photo(client):
    make_article(headline="With photo", lead_photo=make_photo())
    make_article(headline="Newest without photo", published_at=timezone.now())

    lead = re.search(r'<article class="story story--lead">.*?</article>', home(client), re.S)

    assert "With photo" in lead.group()


def test_top_stories_and_the_rail_show_only_published_stories(client):
    make_article(headline="Public story")
    make_article(headline="A draft", status=Article.Status.DRAFT)
    make_article(headline="Coming tomorrow", published_at=timezone.now() + timedelta(days=1))

    html = home(client)

    assert "Public story" in html
    assert "A draft" not in html
    assert "Coming tomorrow" not in html


def test_the_latest_rail_has_kicker_headline_author_and_time(client):
    story = make_article(
        kicker="Diplomacy",
        headline="Envoys meet again",
        authors=[make_author("Omar Haddad")],
        published_at=timezone.now() - timedelta(minutes=25),
    )

    rail = re.search(r'<aside class="rail".*?</aside>', home(client), re.S).group()

    assert '<p class="kicker">Diplomacy</p>' in rail
    assert (
        f'<a class="rail-headline" href="{story.get_absolute_url()}">Envoys meet again</a>' in rail
    )
    assert "Omar Haddad" in rail
    assert f'<time datetime="{story.published_at.isoformat(timespec="seconds")}"' in rail
    assert "25 min ago</time>" in rail


def test_there_is_a_block_per_section_in_navigation_order(client):
    sport = make_section("Sport", position=2)
    world = make_section("World", position=1)
    make_section("Empty section", position=3)
    for n in range(6):
        make_article(headline=f"Sport story {n}", section=sport)
        make_article(headline=f"World story {n}", section=world)

    html = home(client)
    world_block = re.search(
        rf'<section class="section-block" aria-labelledby="section-{world.slug}">.*?</section>',
        html,
        re.S,
    )
    sport_block = re.search(
        rf'<section class="section-block" aria-labelledby="section-{sport.slug}">.*?</section>',
        html,
        re.S,
    )

    assert world_block and sport_block
    assert html.index(world_block.group()) < html.index(sport_block.group())
    assert f'<a href="{world.get_absolute_url()}">World</a>' in world_block.group()
    assert world_block.group().count('<article class="story') <= 4
    assert "Empty section</a></h2>" not in html


def test_every_page_has_the_site_chrome(client):
    make_section("Politics")
    html = home(client)

    assert re.search(r'<html lang="en[-\w]*" dir="ltr">', html)
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in html
    assert '<main id="main"' in html
    assert '<nav class="section-nav" aria-label="Sections">' in html
    assert ">Politics</a>" in html
    assert '<label for="site-search" class="visually-hidden">Search stories</label>' in html
    assert '<form class="search-form" role="search" method="get" action="/search/">' in html
    assert '<footer class="site-footer">' in html
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Newsroom: latest stories" '
        'href="/feed/">' in html
    )
    assert '<link rel="canonical" href="http://testserver/">' in html


def test_an_empty_newsroom_still_has_a_front_page(client):
    assert "No stories have been published yet." in home(client)


def test_a_new_section_appears_in_the_navigation_at_once(
    client, django_capture_on_commit_callbacks
):
    home(client)
    with django_capture_on_commit_callbacks(execute=True):
        make_section("Science", slug="science")

    assert '<a href="/science/">Science</a>' in home(client)


def test_anonymous_readers_may_cache_the_front_page(client):
    response = client.get("/")

    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]


NOW = datetime(2026, 11, 30, 18, 50, tzinfo=UTC)


@pytest.mark.parametrize(
    ("published", "shown"),
    [
        (NOW - timedelta(seconds=20), "just now"),
        (NOW - timedelta(minutes=25), "25 min ago"),
        (NOW - timedelta(minutes=59), "59 min ago"),
        (NOW - timedelta(minutes=134), "16:36"),
        (NOW - timedelta(days=1), "29 Nov 2026"),
        (NOW - timedelta(days=400), "26 Oct 2025"),
    ],
)
def test_rail_times_read_like_a_newsroom(settings, published, shown):
    settings.TIME_ZONE = "UTC"
    assert relative_time(published, now=NOW) == shown


def _newsroom(*, tags: int, authors: int):
    sections = [make_section() for _ in range(4)]
    people = [make_author() for _ in range(authors)]
    for n in range(20):
        make_article(
            section=sections[n % 4],
            authors=people,
            tags=[f"Topic {t}" for t in range(tags)],
            lead_photo=make_photo() if n < 6 else None,
        )


@pytest.mark.parametrize(("tags", "authors"), [(1, 1), (20, 1), (1, 5), (20, 5)])
def test_the_home_page_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, tags, authors
):
    _newsroom(tags=tags, authors=authors)

    # Expect 7 queries however many stories, tags or authors (the budget is 12):
    # the section navigation, the policy pages and the live breaking-news banners (all three
    # then cached until the content changes); the newest stories with sections and photos;
    # the stories editors placed on the front page; the newest few of every section; the
    # bylines of them all.
    with django_assert_num_queries(7):
        assert client.get("/").status_code == 200
    # Once the navigation, policy pages and banners are cached: 4.
    with django_assert_num_queries(4):
        assert client.get("/").status_code == 200


def test_story_times_follow_the_time_zone_they_are_shown_in(settings):
    # The formatted texts are kept per moment: a change of time zone must not reuse them.
    settings.TIME_ZONE = "UTC"
    in_utc = story_time(NOW - timedelta(days=1), now=NOW)
    settings.TIME_ZONE = "Asia/Jerusalem"
    in_jerusalem = story_time(NOW - timedelta(days=1), now=NOW)

    assert 'title="29 November 2026, 18:50 UTC"' in in_utc
    assert 'title="29 November 2026, 20:50 IST"' in in_jerusalem
