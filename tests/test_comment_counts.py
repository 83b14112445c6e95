"""Each story's count of the comments readers see is kept as comments change (approved,
rejected, withdrawn, deleted, a thread turned down with its replies), and the article page reads
it instead of counting thousands of comments on every render."""

import pytest
from django.test import Client

from comments.models import Comment, StoryCommentCount
from tests.factories import make_article
from tests.factories_comments import article_page, comments_region, make_comment

pytestmark = pytest.mark.django_db


def kept(article) -> int:
    return StoryCommentCount.objects.get(article=article).approved


def counted(article) -> int:
    return Comment.objects.approved().filter(article=article).count()


def test_the_kept_count_follows_every_change_readers_see(moderator):
    story = make_article()
    thread = make_comment(story)
    reply = make_comment(story, parent=thread)
    waiting = make_comment(story, status=Comment.Status.PENDING)
    assert kept(story) == counted(story) == 2

    waiting.approve(by=moderator)
    assert kept(story) == counted(story) == 3

    thread.reject(by=moderator, reason="off-topic")  # its reply goes from view with it
    assert kept(story) == counted(story) == 1

    thread.approve(by=moderator)
    reply.withdraw()
    assert kept(story) == counted(story) == 2

    waiting.delete()
    assert kept(story) == counted(story) == 1


def test_a_story_with_comments_can_still_be_deleted():
    story = make_article()
    make_comment(story, parent=make_comment(story))

    story.delete()

    assert not StoryCommentCount.objects.exists()


def test_the_article_page_reads_the_kept_count_instead_of_counting_comments(settings):
    settings.COMMENTS_SHOWN_ON_ARTICLE = 3
    story = make_article()
    for _ in range(5):
        make_comment(story, parent=make_comment(story))
    assert "Read all 10 comments" in comments_region(article_page(Client(), story))
    # Told apart from a count made for the page (nothing is kept in these tests): a kept
    # number no COUNT would give.
    StoryCommentCount.objects.filter(article=story).update(approved=4321)

    assert "Read all 4321 comments" in comments_region(article_page(Client(), story))


def test_comments_written_in_bulk_are_counted_for_every_story_named():
    """The demo writes comments with bulk_create (no signals) and names the stories as it goes."""
    first, second = make_article(), make_article()
    Comment.objects.bulk_create(
        [Comment(article=story, name="R", email="r@example.org", body="Hi", status="approved")
         for story in (first, first, second)]
    )  # fmt: skip
    StoryCommentCount.objects.all().delete()

    StoryCommentCount.recount_all(story.pk for story in (first, second))

    assert (kept(first), kept(second)) == (counted(first), counted(second)) == (2, 1)
