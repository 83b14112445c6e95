"""Two people on one story: a stale save is refused and explained; an open story is flagged."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, EditLock
from tests.admin_forms import form_data
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_editor(db):
    user = User.objects.create_user(
        "dana", "dana@example.com", "pw", is_staff=True, first_name="Dana", last_name="Levi"
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def second_client(second_editor):
    client = Client()
    client.force_login(second_editor)
    return client


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def test_the_second_save_of_a_form_opened_before_the_first_is_refused_and_explained(
    editor_client, second_client
):
    story = make_article(status=Article.Status.DRAFT, headline="Port strike ends")
    mine = editor_client.get(change_url(story))
    theirs = second_client.get(change_url(story))

    second_client.post(
        change_url(story), form_data(theirs, headline="Port strike ends after talks")
    )
    response = editor_client.post(
        change_url(story), form_data(mine, body="<p>My new paragraph.</p>")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Not saved: Dana Levi changed this story at" in html
    assert "(UTC)" in html
    # What they changed, as a word diff.
    assert "<ins>after talks</ins>" in html
    # What this editor typed is still in the form.
    assert "My new paragraph." in response.context["adminform"].form["blocks"].value()
    story.refresh_from_db()
    assert story.headline == "Port strike ends after talks"
    assert "My new paragraph" not in story.body


def test_saving_again_after_the_refusal_keeps_this_editors_version(editor_client, second_client):
    story = make_article(status=Article.Status.DRAFT, headline="Original")
    mine = editor_client.get(change_url(story))
    second_client.post(
        change_url(story), form_data(second_client.get(change_url(story)), headline="Theirs")
    )
    refused = editor_client.post(change_url(story), form_data(mine, headline="Mine"))

    response = editor_client.post(change_url(story), form_data(refused))

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.headline == "Mine"


def test_a_list_action_after_the_form_was_opened_also_makes_the_save_stale(
    editor_client, second_client
):
    story = make_article(status=Article.Status.DRAFT)
    mine = editor_client.get(change_url(story))
    second_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "send_to_review", "_selected_action": [story.pk]},
    )

    response = editor_client.post(change_url(story), form_data(mine, headline="Mine"))

    assert response.status_code == 200
    assert "Dana Levi changed this story" in response.content.decode()
    story.refresh_from_db()
    assert story.status == Article.Status.REVIEW


def test_the_change_page_and_the_list_say_who_has_the_story_open(editor_client, second_client):
    story = make_article(status=Article.Status.DRAFT)
    editor_client.get(change_url(story))

    page = second_client.get(change_url(story)).content.decode()
    listing = second_client.get(reverse("admin:articles_article_changelist")).content.decode()

    assert "editor has this story open" in page
    assert "✎ editor" in listing


def test_the_lock_expires_on_its_own(editor_client, second_client):
    story = make_article(status=Article.Status.DRAFT)
    editor_client.get(change_url(story))
    EditLock.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    page = second_client.get(change_url(story)).content.decode()

    assert "has this story open" not in page
    assert EditLock.objects.get().user.username == "dana"


def test_saving_releases_the_lock(editor_client, second_client):
    story = make_article(status=Article.Status.DRAFT)
    editor_client.post(change_url(story), form_data(editor_client.get(change_url(story))))

    assert not EditLock.objects.exists()
    assert "has this story open" not in second_client.get(change_url(story)).content.decode()


def test_the_heartbeat_renews_the_lock_and_needs_csrf(editor, second_client):
    story = make_article(status=Article.Status.DRAFT)
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    lock_url = reverse("admin:articles_article_lock", args=[story.pk])

    assert client.post(lock_url).status_code == 403  # no CSRF token
    page = client.get(change_url(story))
    token = page.cookies["csrftoken"].value
    EditLock.objects.update(expires_at=timezone.now() + timedelta(seconds=5))
    response = client.post(lock_url, HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 204
    assert EditLock.objects.get().expires_at > timezone.now() + timedelta(minutes=4)
    assert second_client.post(lock_url).status_code == 409


def test_a_change_made_outside_a_recorded_save_is_still_caught_without_naming_a_wrong_person(
    editor_client, second_client
):
    story = make_article(headline="Budget passes")
    mine = editor_client.get(change_url(story))
    second_client.post(change_url(story), form_data(second_client.get(change_url(story))))
    # A correction (added elsewhere) marks the story updated without a version of the story.
    story.corrections.create(text="The vote was 61 to 59.")

    response = editor_client.post(
        change_url(story), form_data(mine, headline="Budget passes narrowly")
    )

    assert response.status_code == 200
    assert "Not saved: someone changed this story" in response.content.decode()
