"""Moderators open and close the comments of public stories only, without making an editor's
open form stale, and readers see the change at once (issue 19, the moderators' part)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.admin_forms import form_data
from tests.factories import make_article
from tests.factories_comments import make_comment

pytestmark = pytest.mark.django_db

QUEUE = "/admin/comments/comment/"


def toggle_url(article):
    return f"{QUEUE}story/{article.pk}/comments/"


@pytest.mark.parametrize("kind", ["draft", "review", "scheduled"])
def test_moderators_cannot_open_or_close_comments_on_a_story_readers_cannot_see(
    moderator_client, kind
):
    if kind == "scheduled":
        story = make_article(published_at=timezone.now() + timedelta(hours=3))
    else:
        story = make_article(status=kind)
    stamp = story.updated_at
    make_comment(story, status="pending")  # left from when it was public

    response = moderator_client.post(toggle_url(story), {"open": "0"})

    assert response.status_code == 404
    story.refresh_from_db()
    assert (story.comments_open, story.updated_at) == (True, stamp)
    html = moderator_client.get(QUEUE).content.decode()
    assert "Close comments on this story" not in html


def test_closing_comments_leaves_updated_at_and_purges_the_story_page(
    moderator_client, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    story = make_article()
    stamp = story.updated_at
    reader = Client()
    assert 'name="body"' in reader.get(story.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(toggle_url(story), {"open": "0"})

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.comments_open is False
    assert story.updated_at == stamp  # the editors' clock, and readers' "Updated", untouched
    page = reader.get(story.get_absolute_url()).content.decode()
    assert "Comments are closed for this story." in page
    assert 'name="body"' not in page


def test_an_editors_form_opened_before_the_queue_closed_comments_saves_and_keeps_them_closed(
    editor_client, moderator
):
    story = make_article(headline="Port strike ends")
    opened = editor_client.get(reverse("admin:articles_article_change", args=[story.pk]))
    queue = Client()
    queue.force_login(moderator)
    queue.post(toggle_url(story), {"open": "0"})

    response = editor_client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        form_data(opened, headline="Port strike ends after talks"),
    )

    assert response.status_code == 302  # not refused as stale
    story.refresh_from_db()
    assert story.headline == "Port strike ends after talks"
    assert story.comments_open is False  # the form's unchanged tick did not reopen them


def test_an_editor_who_changes_the_setting_in_the_form_has_the_last_word(editor_client, moderator):
    story = make_article(status=Article.Status.PUBLISHED)
    opened = editor_client.get(reverse("admin:articles_article_change", args=[story.pk]))
    queue = Client()
    queue.force_login(moderator)
    queue.post(toggle_url(story), {"open": "0"})
    data = form_data(opened)
    data.pop("comments_open")  # the editor unticks the box…
    story.comments_open = True
    story.save(update_fields=["comments_open"])  # …after the queue reopened them

    editor_client.post(reverse("admin:articles_article_change", args=[story.pk]), data)

    story.refresh_from_db()
    assert story.comments_open is False
