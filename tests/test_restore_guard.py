"""History -> Restore and Recover follow the publication guard, judged on the story as the
database holds it (django-reversion writes the old version before the form's checks run), and a
restore that changes what readers see refreshes their pages."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.editorial import revisions
from articles.models import Article
from tests.admin_forms import form_data
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def revision_url(story, version) -> str:
    return reverse("admin:articles_article_revision", args=[story.pk, version.pk])


def versions(story) -> list[Version]:
    return revisions.versions_of(story.pk)


def draft_version_then_live(editor, reporter, *, scheduled=False) -> tuple[Article, Version]:
    """A reporter's draft, recorded as a version, then published (or scheduled) by an editor."""
    story = make_article(status=Article.Status.DRAFT, headline="Talks resume in Cairo")
    story._save_as_version(reporter, "Draft.")
    draft = versions(story)[0]
    at = timezone.now() + timezone.timedelta(hours=3) if scheduled else None
    story.publish(by=editor, at=at)
    return story, draft


@pytest.mark.parametrize("scheduled", [False, True], ids=["published", "scheduled"])
def test_a_reporter_cannot_restore_a_draft_version_over_a_live_story(editor, reporter, scheduled):
    story, draft = draft_version_then_live(editor, reporter, scheduled=scheduled)
    # The form an editor would see for that version, with the reporter's own headline.
    data = form_data(logged_in(editor).get(revision_url(story, draft)), headline="Reporter's")
    reporter_client = logged_in(reporter)

    assert reporter_client.get(revision_url(story, draft)).status_code == 403
    assert reporter_client.post(revision_url(story, draft), data).status_code == 403

    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED
    assert story.headline == "Talks resume in Cairo"
    assert story.is_scheduled == scheduled


def test_a_reporter_still_restores_versions_of_their_own_draft(reporter):
    story = make_article(status=Article.Status.DRAFT, headline="First words")
    story._save_as_version(reporter, "Draft.")
    first = versions(story)[0]
    story.headline = "Second words"
    story._save_as_version(reporter, "Draft.")
    client = logged_in(reporter)
    page = client.get(revision_url(story, first))
    assert page.status_code == 200
    assert client.post(revision_url(story, first), form_data(page)).status_code == 302
    story.refresh_from_db()
    assert story.headline == "First words"


def test_recovering_a_deleted_story_needs_the_publish_right(editor, reporter):
    story = make_article(status=Article.Status.DRAFT, headline="Deleted by an editor")
    story.publish(by=editor)
    pk = story.pk
    story.delete()
    deleted = Version.objects.get_deleted(Article).get(object_id=str(pk))
    recover_url = reverse("admin:articles_article_recover", args=[deleted.pk])
    recover_list = reverse("admin:articles_article_recoverlist")
    reporter_client = logged_in(reporter)
    editor_client = logged_in(editor)

    assert reporter_client.get(recover_list).status_code == 403
    assert reporter_client.get(recover_url).status_code == 403
    data = form_data(editor_client.get(recover_url), status="draft")
    assert reporter_client.post(recover_url, data).status_code == 403
    assert not Article.objects.filter(pk=pk).exists()

    assert editor_client.get(recover_list).status_code == 200
    assert (
        editor_client.post(recover_url, form_data(editor_client.get(recover_url))).status_code
        == 302
    )
    assert Article.objects.get(pk=pk).headline == "Deleted by an editor"


def test_an_editors_restore_that_takes_a_story_down_refreshes_its_page(
    editor, reporter, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    story, draft = draft_version_then_live(editor, reporter)
    address = story.get_absolute_url()
    reader = Client()
    assert reader.get(address).status_code == 200  # kept for readers from here on
    assert reader.get(address).status_code == 200

    editor_client = logged_in(editor)
    page = editor_client.get(revision_url(story, draft))
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(revision_url(story, draft), form_data(page))
    assert response.status_code == 302

    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT
    assert reader.get(address).status_code == 404
