"""Handoffs between writer and editor (issue 25, items 2 to 4): a story sent back carries the
editor's reason; the writer sees their stories in review and scheduled, and who holds them; a
review mail that cannot be sent is said on screen and logged as one line."""

import logging
import socket
from datetime import timedelta

import pytest
from django.contrib import messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author, SendBack
from tests.admin_forms import article_post, form_data
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

HOME = reverse("admin:index")
NOTE = "The second source is missing: call the ministry & quote them."


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def desk_of(client) -> str:
    html = client.get(HOME).content.decode()
    return html[html.index('id="desk"') :]


def section_of(desk: str, heading: str, until: str) -> str:
    return desk[desk.index(heading) : desk.index(until)]


@pytest.fixture
def reporters_story(reporter):
    mine = Author.objects.create(name="Rita Reporter", slug="rita", user=reporter)
    return make_article(headline="Port strike talks", status=Article.Status.REVIEW, authors=[mine])


def test_an_editor_sending_a_story_back_must_say_why(editor_client, reporters_story):
    form = editor_client.get(change_url(reporters_story))
    assert 'name="send_back_note"' in form.content.decode()

    response = editor_client.post(change_url(reporters_story), form_data(form, status="draft"))

    assert response.status_code == 200
    assert "Say why the story goes back" in response.content.decode()
    reporters_story.refresh_from_db()
    assert reporters_story.status == Article.Status.REVIEW
    assert not SendBack.objects.exists()


def test_the_note_is_on_the_writers_desk_the_form_and_the_history_until_the_next_review(
    editor_client, editor, reporter, reporters_story, client
):
    editor.first_name, editor.last_name = "Edna", "Editor"
    editor.save()
    form = editor_client.get(change_url(reporters_story))
    sent = editor_client.post(
        change_url(reporters_story), form_data(form, status="draft", send_back_note=NOTE)
    )
    assert sent.status_code == 302
    reporters_story.refresh_from_db()
    assert reporters_story.status == Article.Status.DRAFT

    client.force_login(reporter)
    escaped = "The second source is missing: call the ministry &amp; quote them."
    sent_back = section_of(desk_of(client), "Sent back to you", "Your drafts")
    assert "Port strike talks" in sent_back and escaped in sent_back and "Edna Editor" in sent_back
    assert escaped in client.get(change_url(reporters_story)).content.decode()
    history = client.get(reverse("admin:articles_article_history", args=[reporters_story.pk]))
    assert f"Sent back: {escaped}" in history.content.decode()

    # The writer files it again: the note leaves the desk and the form, and stays in history.
    again = client.get(change_url(reporters_story))
    client.post(change_url(reporters_story), form_data(again, status="review"))
    reporters_story.refresh_from_db()
    assert reporters_story.status == Article.Status.REVIEW
    assert escaped not in desk_of(client)
    assert escaped not in client.get(change_url(reporters_story)).content.decode()
    assert SendBack.objects.get().note == NOTE
    history = client.get(reverse("admin:articles_article_history", args=[reporters_story.pk]))
    assert f"Sent back: {escaped}" in history.content.decode()


def test_only_editors_send_back_with_a_note_and_only_from_review(reporter, editor):
    draft = make_article(status=Article.Status.DRAFT)
    in_review = make_article(status=Article.Status.REVIEW)

    with pytest.raises(Exception, match="Only editors"):
        in_review.send_back(by=reporter, note=NOTE)
    with pytest.raises(Exception, match="Only a story in review"):
        draft.send_back(by=editor, note=NOTE)
    with pytest.raises(Exception, match="Say why"):
        in_review.send_back(by=editor, note="   ")
    assert not SendBack.objects.exists()
    in_review.refresh_from_db()
    assert in_review.status == Article.Status.REVIEW


def test_the_writers_desk_lists_their_stories_in_review_and_scheduled_and_who_holds_them(
    reporter_client, reporter, editor
):
    editor.first_name, editor.last_name = "Edna", "Editor"
    editor.save()
    mine = Author.objects.create(name="Rita Reporter", slug="rita", user=reporter)
    waiting = make_article(headline="Waiting for an editor", status="review", authors=[mine])
    being_read = make_article(headline="Being read now", status="review", authors=[mine])
    later = make_article(headline="Goes out tomorrow", status="review", authors=[mine])
    make_article(headline="Someone else's in review", status="review")
    later.schedule(by=editor, at=timezone.now() + timedelta(days=1))
    editors_browser = Client()
    editors_browser.force_login(editor)
    editors_browser.get(change_url(being_read))  # the editor opens it: holds its edit lock

    mine_there = section_of(desk_of(reporter_client), "Yours with the editors", "Your drafts")

    assert "Waiting for an editor</a>: in review, waiting for an editor" in mine_there
    assert "Being read now</a>: in review, open by Edna Editor" in mine_there
    assert "Goes out tomorrow</a>: scheduled for" in mine_there
    assert "by Edna Editor" in mine_there.split("Goes out tomorrow")[1]
    assert "Someone else" not in mine_there
    assert waiting


def closed_port() -> int:
    """A loopback port nothing listens on: bound, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def no_mail_server(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_TIMEOUT = 5


def warnings_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level == messages.WARNING]


# Real commits: the mail goes once the save is committed, inside the request, as in production.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("no_mail_server")
def test_with_no_mail_server_the_reporter_is_told_the_editors_were_not_mailed(
    reporter_client, editor, caplog
):
    caplog.set_level(logging.WARNING, logger="articles.editorial.desk")

    response = reporter_client.post(
        reverse("admin:articles_article_add"),
        article_post(section=make_section(), authors=[make_author()], status="review"),
        follow=True,
    )

    story = Article.objects.get()
    assert story.status == Article.Status.REVIEW
    assert warnings_of(response) == [
        "“A headline for the test” is in review, but the editors could not be mailed about it "
        "(the mail server did not answer): tell an editor it is waiting."
    ]
    (record,) = [r for r in caplog.records if r.name == "articles.editorial.desk"]
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert f"story {story.pk} was sent to review" in record.getMessage()
    assert "\n" not in record.getMessage()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("no_mail_server")
def test_the_list_action_also_says_the_editors_were_not_mailed(reporter_client, editor, caplog):
    story = make_article(headline="Budget vote delayed", status=Article.Status.DRAFT)

    response = reporter_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "send_to_review", "_selected_action": [story.pk]},
        follow=True,
    )

    story.refresh_from_db()
    assert story.status == Article.Status.REVIEW
    assert len(warnings_of(response)) == 1
    assert "“Budget vote delayed” is in review" in warnings_of(response)[0]
    assert all(record.exc_info is None for record in caplog.records)
