import re

import pytest
from django.core.exceptions import ValidationError

from articles.models import Article, Section
from articles.public.views import PER_PAGE
from tests.factories import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db


def test_a_section_page_lists_its_published_stories_with_photos_and_deks(client):
    world = make_section("World", slug="world", description="News from around the globe.")
    story = make_article(
        section=world, headline="Talks resume", subheadline="A dek", lead_photo=make_photo()
    )
    make_article(section=world, headline="Unfinished draft", status=Article.Status.DRAFT)
    make_article(headline="Other section story")

    response = client.get("/world/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1>World</h1>" in html
    assert "News from around the globe." in html
    assert f'<a href="{story.get_absolute_url()}">Talks resume</a>' in html
    assert '<p class="dek">A dek</p>' in html
    assert "<picture>" in html
    assert "Unfinished draft" not in html
    assert "Other section story" not in html
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Newsroom: World" href="/feed/section/world/">'
        in html
    )
    assert 'aria-current="page">World</a>' in html


def test_a_tag_page_lists_the_stories_with_that_tag(client):
    tagged = make_article(headline="Tagged story", tags=["Hostage Deal"])
    make_article(headline="Untagged story")

    response = client.get("/tag/hostage-deal/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Hostage Deal</h1>" in html
    assert f'href="{tagged.get_absolute_url()}">Tagged story</a>' in html
    assert "Untagged story" not in html
    assert 'href="/feed/tag/hostage-deal/"' in html


def test_a_tag_used_only_on_unpublished_stories_is_404(client):
    make_article(tags=["Embargoed Deal"], status=Article.Status.DRAFT)

    assert client.get("/tag/embargoed-deal/").status_code == 404


def test_an_author_page_lists_their_stories_and_bio(client):
    dana = make_author("Dana Levi", slug="dana-levi", bio="Diplomatic correspondent.")
    theirs = make_article(headline="Dana's story", authors=[dana, make_author()])
    make_article(headline="Someone else's story")

    html = client.get("/author/dana-levi/").content.decode()

    assert "<h1>Dana Levi</h1>" in html
    assert "Diplomatic correspondent." in html
    assert theirs.get_absolute_url() in html
    assert "Someone else" not in html


@pytest.mark.parametrize("url", ["/no-such-section/", "/tag/no-such-tag/", "/author/nobody/"])
def test_unknown_slugs_are_404(client, url):
    response = client.get(url)

    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_lists_are_paginated_newest_first(client):
    section = make_section(slug="business")
    stories = [make_article(section=section) for _ in range(PER_PAGE + 3)]

    first = client.get("/business/").content.decode()
    second = client.get("/business/?page=2").content.decode()

    assert stories[0].headline + "<" in first  # make_article makes each story older than the last
    assert stories[-1].headline + "<" in second
    assert stories[-1].headline + "<" not in first
    assert 'rel="next" href="?page=2"' in first
    assert 'rel="prev" href="?page=1"' in second
    assert "Page 2 of 2" in second
    assert len(re.findall(r'<article class="story', second)) == 3


@pytest.mark.parametrize("page", ["abc", "0", "-1", "3", "1.5", "99999999999999999999"])
@pytest.mark.parametrize("url", ["/business/", "/tag/economy/", "/author/dana/"])
def test_bad_page_numbers_are_404_never_500(client, url, page):
    section = make_section(slug="business")
    dana = make_author(slug="dana")
    for _ in range(PER_PAGE + 1):
        make_article(section=section, authors=[dana], tags=["Economy"])

    assert client.get(f"{url}?page={page}").status_code == 404


def test_an_empty_section_shows_its_first_page(client):
    make_section("Culture", slug="culture")

    response = client.get("/culture/")

    assert response.status_code == 200
    assert "No stories here yet." in response.content.decode()


@pytest.mark.parametrize(
    "slug",
    [
        "admin",
        "tag",
        "author",
        "search",
        "feed",
        "preview",
        "media",
        "static",
        "healthz",
        "sitemap",
        "comments",
    ],
)
def test_section_slugs_that_would_hide_site_addresses_are_refused(slug):
    section = Section(name=f"Section {slug}", slug=slug)

    with pytest.raises(ValidationError) as error:
        section.full_clean()

    assert "slug" in error.value.message_dict


def test_list_pages_run_a_fixed_number_of_queries(client, django_assert_num_queries):
    section = make_section(slug="world")
    for _ in range(PER_PAGE):
        make_article(
            section=section, authors=[make_author(), make_author()], lead_photo=make_photo()
        )
    client.get("/")

    # Expect 4 queries: the section; the story count; a page of stories with photos; their bylines.
    with django_assert_num_queries(4):
        client.get("/world/")
