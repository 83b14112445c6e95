"""The story list's actions: publishing a scheduled story, messages that count right."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:articles_article_changelist")


def act(client, action, *stories):
    response = client.post(
        CHANGELIST_URL,
        {"action": action, "_selected_action": [story.pk for story in stories]},
        follow=True,
    )
    return [str(message) for message in response.context["messages"]]


def test_publishing_a_scheduled_story_publishes_it_now_and_says_so(editor_client):
    later = timezone.now() + timedelta(days=1)
    story = make_article(headline="Embargoed report", published_at=later)

    messages = act(editor_client, "publish", story)

    story.refresh_from_db()
    assert story.is_published
    assert story.published_at <= timezone.now()
    assert any(
        m.startswith("“Embargoed report”: Published now; it was scheduled for") for m in messages
    )
    assert "1 story published." in messages


def test_publishing_a_live_story_says_it_is_already_published(editor_client):
    story = make_article(headline="Old news")

    messages = act(editor_client, "publish", story)

    assert messages == ["“Old news” is already published."]


@pytest.mark.parametrize(
    ("action", "status", "message"),
    [
        ("send_to_review", Article.Status.DRAFT, "1 story sent to review."),
        ("publish", Article.Status.REVIEW, "1 story published."),
        ("unpublish", Article.Status.PUBLISHED, "1 story unpublished."),
    ],
)
def test_messages_about_one_story_say_story(editor_client, action, status, message):
    assert message in act(editor_client, action, make_article(status=status))


def test_messages_about_several_stories_say_stories(editor_client):
    stories = [make_article() for _ in range(3)]

    assert "3 stories unpublished." in act(editor_client, "unpublish", *stories)
