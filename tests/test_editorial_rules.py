"""What a story needs before it can be published, and the errors editors see."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.admin_forms import article_post
from tests.factories import make_article, make_author, make_photo, make_section

ADD_URL = reverse("admin:articles_article_add")
CHANGELIST_URL = reverse("admin:articles_article_changelist")

pytestmark = pytest.mark.django_db


def errors_of(response) -> str:
    assert response.status_code == 200, "the form should be shown again with errors"
    return response.content.decode()


def test_publishing_without_a_section_is_refused(editor_client):
    response = editor_client.post(
        ADD_URL, article_post(section=None, authors=[make_author()], status="published")
    )
    assert "A published story needs a section." in errors_of(response)
    assert not Article.objects.exists()


def test_publishing_without_a_byline_is_refused(editor_client):
    response = editor_client.post(
        ADD_URL, article_post(section=make_section(), authors=[], status="published")
    )
    assert "A published story needs at least one byline." in errors_of(response)
    assert not Article.objects.exists()


def test_publishing_without_a_headline_is_refused(editor_client):
    response = editor_client.post(
        ADD_URL,
        article_post(
            section=make_section(), authors=[make_author()], status="published", headline=""
        ),
    )
    assert "This field is required." in errors_of(response)
    assert not Article.objects.exists()


def test_publishing_without_a_slug_is_refused(editor_client):
    response = editor_client.post(
        ADD_URL,
        article_post(section=make_section(), authors=[make_author()], status="published", slug=""),
    )
    assert "This field is required." in errors_of(response)
    assert not Article.objects.exists()


def test_a_lead_photo_without_alt_text_is_refused(editor_client):
    photo = make_photo(alt_text="")
    response = editor_client.post(
        ADD_URL,
        article_post(
            section=make_section(), authors=[make_author()], status="published", lead_photo=photo
        ),
    )
    assert "The lead photo needs alt text before the story is published." in errors_of(response)


def test_a_lead_photo_without_a_credit_is_refused(editor_client):
    photo = make_photo(photographer="", agency="")
    response = editor_client.post(
        ADD_URL,
        article_post(
            section=make_section(), authors=[make_author()], status="published", lead_photo=photo
        ),
    )
    assert "needs a credit (photographer or agency)" in errors_of(response)


def test_a_draft_may_be_incomplete(editor_client):
    response = editor_client.post(ADD_URL, article_post(section=None, authors=[], status="draft"))
    assert response.status_code == 302
    assert Article.objects.get().status == Article.Status.DRAFT


def test_publish_action_names_what_is_missing(editor_client):
    draft = make_article(status=Article.Status.DRAFT, authors=[])

    response = editor_client.post(
        CHANGELIST_URL, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )

    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert (
        "was not published: A published story needs at least one byline."
        in response.content.decode()
    )


def test_a_scheduled_story_is_not_public_until_its_time():
    now = timezone.now()
    story = make_article(published_at=now + timedelta(hours=2))

    assert story.is_scheduled
    assert not Article.objects.published().filter(pk=story.pk).exists()
    assert Article.objects.scheduled().filter(pk=story.pk).exists()

    story.published_at = now - timedelta(seconds=1)
    story.save()
    assert Article.objects.published().filter(pk=story.pk).exists()


def test_only_published_stories_are_public():
    draft = make_article(status=Article.Status.DRAFT)
    review = make_article(status=Article.Status.REVIEW)
    live = make_article()

    assert list(Article.objects.published()) == [live]
    assert draft.pk and review.pk


def test_editor_scheduling_from_the_form_keeps_the_future_time(editor_client):
    response = editor_client.post(
        ADD_URL,
        article_post(
            section=make_section(), authors=[make_author()], status="published",
            published_at_0="2099-01-01", published_at_1="08:00:00",
        ),
    )  # fmt: skip
    assert response.status_code == 302
    story = Article.objects.get()
    assert story.is_scheduled
    assert story.published_at.year == 2099
