"""Staff preview of unpublished stories follows the right to view or change stories."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_moderator_cannot_read_a_draft_or_a_scheduled_story_through_preview(moderator_client):
    draft = make_article(status=Article.Status.DRAFT, headline="Secret draft")
    scheduled = make_article(published_at=timezone.now() + timedelta(hours=2))

    for story in (draft, scheduled):
        response = moderator_client.get(f"/preview/{story.pk}/")
        assert response.status_code == 403
        assert b"Secret draft" not in response.content


def test_reporters_and_editors_still_preview_drafts(reporter_client, editor, client):
    draft = make_article(status=Article.Status.DRAFT)

    assert reporter_client.get(f"/preview/{draft.pk}/").status_code == 200
    client.force_login(editor)
    assert client.get(f"/preview/{draft.pk}/").status_code == 200
