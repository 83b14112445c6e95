"""The article page's story, related stories and rail cached for every reader: reused between
views, fresh after every editorial change, and never the comments region or anything per reader."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from tests.factories import make_article, make_author, make_photo, make_section
from tests.factories_comments import comments_region, make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60


@pytest.fixture
def world():
    return make_section("World", slug="world")


@pytest.fixture
def story(world):
    make_article(section=world, headline="Gas field talks open", tags=["Energy"])
    return make_article(
        section=world,
        headline="Talks resume in Cairo",
        authors=[make_author("Dana Levi")],
        tags=["Energy"],
        lead_photo=make_photo(),
    )


def html(client, story) -> str:
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def ours(queries) -> list[str]:
    return [
        query["sql"] for query in queries.captured_queries if 'FROM "comments_' not in query["sql"]
    ]


def test_a_new_approved_comment_re_renders_only_the_comments_region(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks, moderator, story
):
    with django_capture_on_commit_callbacks(execute=True):  # all of it committed before
        make_comment(story, body="First!")
        waiting = make_comment(story, body="Second!", status=Comment.Status.PENDING)
    client.get("/")  # warms the cached section navigation, as any earlier page view does

    with django_assert_max_num_queries(10) as first_queries:
        first = client.get(story.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        waiting.approve(by=moderator)
    # Expect at most 2 queries: the comments region's threads and their replies; the story and
    # its parts come from the cache.
    with django_assert_max_num_queries(2) as second_queries:
        second = Client().get(story.get_absolute_url())

    # story (which also finds it has no corrections or contributors), tags, related, rail, bylines
    assert len(ours(first_queries)) == 5
    assert len(ours(second_queries)) == 0
    assert second.content.decode().count("Gas field talks open") == 2  # related and the rail
    assert "Second!" in comments_region(second.content.decode())
    assert second["ETag"] != first["ETag"]


def test_no_reader_is_given_a_cookie(client, story):
    response = client.get(story.get_absolute_url())

    assert not response.cookies
    assert 'name="csrfmiddlewaretoken"' not in response.content.decode()


def test_a_repeat_view_from_the_cache_is_still_answered_304(client, story):
    first = client.get(story.get_absolute_url())

    again = client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


def test_editing_the_story_shows_on_the_next_view(
    client, django_capture_on_commit_callbacks, story
):
    assert "Talks resume in Cairo" in html(client, story)

    with django_capture_on_commit_callbacks(execute=True):
        story.headline = "Talks collapse in Cairo"
        story.save()

    page = html(client, story)
    assert "Talks collapse in Cairo" in page
    assert "Talks resume in Cairo" not in page


def test_publishing_a_story_shows_it_in_the_rail_and_moves_last_modified(
    client, django_capture_on_commit_callbacks, editor, story, world
):
    # Everything so far changed an hour ago: Last-Modified counts whole seconds.
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Article.objects.update(published_at=an_hour_ago, updated_at=an_hour_ago)
    first = client.get(story.get_absolute_url())
    draft = make_article(section=world, headline="Breaking: a deal", status=Article.Status.DRAFT)
    assert "Breaking: a deal" not in html(client, story)

    with django_capture_on_commit_callbacks(execute=True):
        draft.publish(by=editor)

    again = client.get(story.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200
    rail = again.content.decode().split('<aside class="rail"')[1]
    assert "Breaking: a deal" in rail


def test_a_new_related_story_and_a_renamed_author_show_on_the_next_view(
    client, django_capture_on_commit_callbacks, story, world
):
    other = make_article(section=world, headline="Pipeline deal signed")
    author = story.authors.get()
    html(client, story)

    with django_capture_on_commit_callbacks(execute=True):
        other.tags.add("Energy")
        author.name = "Dana Levi-Cohen"
        author.save()

    page = html(client, story)
    related = page.split('<section class="related"')[1].split("</section>")[0]
    assert "Pipeline deal signed" in related
    assert "Dana Levi-Cohen" in page


def test_a_new_section_shows_in_the_header_and_footer_kept_with_the_story(
    client, django_capture_on_commit_callbacks, settings, story
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0  # no whole copies: only the story's parts are kept
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 60
    assert "Culture" not in html(client, story)

    with django_capture_on_commit_callbacks(execute=True):
        make_section("Culture", slug="culture")

    page = html(client, story)
    header = page.split('<header class="site-header">')[1].split("</header>")[0]
    footer = page.split('<footer class="site-footer">')[1].split("</footer>")[0]
    assert 'href="/culture/">Culture</a>' in header
    assert 'href="/culture/">Culture</a>' in footer


def test_an_approved_comment_shows_at_once(
    client, django_capture_on_commit_callbacks, moderator, story
):
    pending = make_comment(story, body="Worth waiting for.", status=Comment.Status.PENDING)
    assert "Worth waiting for." not in html(client, story)

    with django_capture_on_commit_callbacks(execute=True):
        pending.approve(by=moderator)

    assert "Worth waiting for." in comments_region(html(client, story))


def test_staff_get_the_story_rendered_afresh(editor_client, story):
    Client().get(story.get_absolute_url())  # an anonymous view fills the cache
    # Its tags go, and the content version is not bumped (that waits for a commit).
    story.tags.through.objects.filter(content_object=story).delete()

    page = html(editor_client, story)

    assert 'rel="tag"' not in page


def test_a_ttl_of_zero_turns_the_story_cache_off(
    client, settings, django_assert_max_num_queries, story
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    client.get("/")
    html(client, story)

    with django_assert_max_num_queries(8) as queries:
        html(client, story)

    assert len(ours(queries)) == 5  # story, tags, related, rail, bylines: made afresh each time


def test_without_whole_page_copies_the_shared_parts_are_still_kept(
    client, settings, django_assert_num_queries, story
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0  # no whole copies: every request makes its page
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 60
    make_comment(story, body="Kept with the threads")
    client.get("/")
    first = html(client, story)

    # No query: the story with its parts, and its comment threads, come from the cache.
    with django_assert_num_queries(0):
        second = Client().get(story.get_absolute_url())

    assert second["Cache-Control"].startswith("public, ")
    assert "Kept with the threads" in comments_region(second.content.decode())
    assert "Kept with the threads" in comments_region(first)


def test_another_host_gets_its_own_absolute_links(client, settings, story):
    settings.ALLOWED_HOSTS = ["testserver", "news.example"]
    html(client, story)

    page = client.get(story.get_absolute_url(), HTTP_HOST="news.example").content.decode()

    assert '"url": "http://news.example/' in page
    assert "http://testserver/" not in page


def test_the_comments_region_is_kept_form_and_all_until_its_comments_change(
    client, settings, django_capture_on_commit_callbacks, django_assert_num_queries, story
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 60
    first = comments_region(html(client, story))

    with django_assert_num_queries(0):
        again = comments_region(html(Client(), story))
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(story, body="Fresh from the queue")
    after = comments_region(html(Client(), story))

    assert again == first  # the signed time of its form included
    assert 'name="started"' in first
    assert "Fresh from the queue" in after and "Fresh from the queue" not in first
