"""The article page rendered afresh stays within a fixed query budget however many comments it
has, and its comments region is rendered once per change of its comments, not per reader."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Contributor, Correction
from comments.models import Comment
from tests.factories import make_article, make_author, make_photo, make_section
from tests.factories_comments import comments_region

pytestmark = pytest.mark.django_db


def story_with_comments(count: int):
    section = make_section()
    make_article(section=section, tags=["Energy", "Gaza"])  # related, and in the rail
    story = make_article(
        section=section,
        authors=[make_author(), make_author()],
        tags=["Energy", "Gaza"],
        lead_photo=make_photo(),
    )
    start = timezone.now() - timedelta(days=1)
    threads = Comment.objects.bulk_create(
        Comment(
            article=story,
            name=f"Reader {n}",
            email=f"r{n}@example.com",
            body=f"Thread {n}",
            status=Comment.Status.APPROVED,
            created_at=start + timedelta(seconds=n),
        )
        for n in range(count // 2)
    )
    Comment.objects.bulk_create(
        Comment(
            article=story,
            parent=thread,
            name="Replier",
            email="replier@example.com",
            body=f"Reply to {thread.body}",
            status=Comment.Status.APPROVED,
            created_at=start + timedelta(hours=1),
        )
        for thread in threads
    )
    return story


@pytest.mark.parametrize("comments", [0, 500])
def test_an_uncached_article_page_needs_at_most_eight_queries(
    client, django_assert_max_num_queries, comments
):
    story = story_with_comments(comments)
    client.get("/")  # the section navigation is cached by any earlier page view

    # Expect at most 8 queries: the story (with section and photo), its tags, related stories,
    # the latest-news rail, the bylines of all of those; then the comments region: the first
    # threads, their replies, and the count of approved comments when not all threads fit.
    with django_assert_max_num_queries(8):
        response = Client().get(story.get_absolute_url())

    assert response.status_code == 200
    assert f"({comments})" in comments_region(response.content.decode())


def test_related_stories_are_read_as_cards_without_their_words(client):
    story = story_with_comments(0)
    linking = make_article(
        section=story.section,
        tags=["Energy"],
        blocks=[{"type": "story", "story": story.pk}],
    )

    for page in (story, linking):  # the related stories alone, and with the linked ones
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page.get_absolute_url()).status_code == 200
        related = [q["sql"] for q in captured.captured_queries if "shared_tags" in q["sql"]]
        assert len(related) == 1
        # What only a story's own page shows (its words) is not read for its card.
        selected = related[0].split(" FROM ")[0]
        assert '"articles_article"."headline"' in selected
        assert '"articles_article"."body"' not in selected
        assert '"articles_article"."blocks"' not in selected


def test_corrections_and_contributors_cost_a_query_each_only_when_a_story_has_them(
    client, django_assert_max_num_queries
):
    story = story_with_comments(500)
    Correction.objects.create(article=story, text="An earlier version misspelt a name.")
    Contributor.objects.create(article=story, name="Ynet", kind="organization")
    client.get("/")

    # The eight above, and the story's corrections and contributors.
    with django_assert_max_num_queries(10):
        response = Client().get(story.get_absolute_url())

    page = response.content.decode()
    assert "An earlier version misspelt a name." in page
    assert "Ynet" in page


def test_the_comments_region_is_rendered_once_for_all_readers(
    settings, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    story = story_with_comments(40)
    Client().get(story.get_absolute_url())
    # A change elsewhere on the site: the story's page is rendered again, its comments are not.
    with django_capture_on_commit_callbacks(execute=True):
        make_section()

    with django_assert_max_num_queries(8) as queries:
        page = Client().get(story.get_absolute_url()).content.decode()

    assert not [q for q in queries.captured_queries if '"comments_comment"' in q["sql"]]
    assert "Thread 0" in comments_region(page)
