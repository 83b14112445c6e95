"""Only publishers set publication times; the Updated stamp is the site's, never typed by hand."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.admin_forms import article_post
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

BACKDATED = {
    "published_at_0": "2020-01-01",
    "published_at_1": "09:00:00",
    "revised_at_0": "2020-01-02",
    "revised_at_1": "09:00:00",
}


def test_a_reporters_backdated_times_do_not_survive_the_editors_publish_action(
    reporter_client, editor, client
):
    section, author = make_section(), make_author()
    response = reporter_client.post(
        reverse("admin:articles_article_add"),
        article_post(section=section, authors=[author], status="review", **BACKDATED),
    )
    assert response.status_code == 302
    story = Article.objects.get()
    assert story.published_at is None
    assert story.revised_at is None

    client.force_login(editor)
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [story.pk]},
    )
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED
    assert story.published_at.year == timezone.now().year
    assert story.revised_at is None


def test_a_reporter_cannot_change_the_times_of_a_draft_they_edit(reporter_client):
    draft = make_article(status=Article.Status.DRAFT)
    author = draft.byline_authors[0]
    reporter_client.post(
        reverse("admin:articles_article_change", args=[draft.pk]),
        article_post(section=draft.section, authors=[author], slug=draft.slug, **BACKDATED)
        | {"bylines-TOTAL_FORMS": "0"},
    )
    draft.refresh_from_db()
    assert draft.published_at is None
    assert draft.revised_at is None


def test_an_editor_sets_the_publication_time_but_not_the_updated_stamp(editor_client):
    section, author = make_section(), make_author()
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        article_post(section=section, authors=[author], status="published", **BACKDATED),
    )
    assert response.status_code == 302
    story = Article.objects.get()
    assert story.published_at.year == 2020
    assert story.revised_at is None
