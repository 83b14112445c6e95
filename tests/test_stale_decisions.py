"""A moderator decides on the words they read: a decision names the revision of the comment it
was made on, and is refused when the reader changed the comment since (issue 19, finding 6)."""

import re

import pytest
from django.contrib.admin.models import LogEntry

from comments.editing import edit_token
from comments.models import Comment, CommentChanged
from tests.factories import make_article
from tests.factories_comments import csrf_client, make_comment, token_from

QUEUE = "/admin/comments/comment/"

pytestmark = pytest.mark.django_db


def shown_revision(html: str, comment) -> str:
    """The revision a page's decision controls carry for the comment, as the browser posts it."""
    match = re.search(rf'<input type="hidden" name="seen-{comment.pk}" value="(\d+)">', html)
    assert match, f"the page names no revision for comment {comment.pk}"
    return match.group(1)


def reader_edits(client, comment, body):
    response = client.post(f"/comments/edit/{edit_token(comment)}/", {"body": body})
    assert response.status_code == 303


@pytest.fixture
def desk(moderator):
    return csrf_client(moderator)


@pytest.mark.parametrize(
    ("decision", "extra"),
    [("approve", {}), ("reject", {"reason": "abusive"}), ("spam", {})],
)
def test_a_decision_on_a_card_loaded_before_the_reader_edited_is_refused(
    client, desk, decision, extra
):
    comment = make_comment(make_article(), status="pending", body="Thoughtful words")
    html = desk.get(QUEUE).content.decode()
    form = {
        "csrfmiddlewaretoken": token_from(html),
        f"seen-{comment.pk}": shown_revision(html, comment),
        **{f"{name}-{comment.pk}": value for name, value in extra.items()},
    }
    reader_edits(client, comment, "Something the moderator never read")

    response = desk.post(f"{QUEUE}{comment.pk}/{decision}/", form, follow=True)

    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == ("pending", None)
    assert not comment.decisions.exists() and not LogEntry.objects.exists()
    page = response.content.decode()
    assert "changed their comment after you opened it: nothing was decided" in page
    assert response.redirect_chain[-1][0].endswith(f"#q{comment.pk}")
    # The card the moderator lands on shows the new words, and says they changed.
    assert "Something the moderator never read" in page
    assert "Edited by its author</strong> (1 time)" in page
    assert shown_revision(page, comment) == "1"


def test_the_same_decision_on_the_new_text_goes_through(client, desk, moderator):
    comment = make_comment(make_article(), status="pending", body="First words")
    reader_edits(client, comment, "Second words")
    html = desk.get(QUEUE).content.decode()
    form = {"csrfmiddlewaretoken": token_from(html), f"seen-{comment.pk}": "1"}
    assert shown_revision(html, comment) == "1"
    desk.post(f"{QUEUE}{comment.pk}/approve/", form)
    comment.refresh_from_db()
    assert (comment.status, comment.body, comment.moderated_by) == (
        "approved",
        "Second words",
        moderator,
    )


def test_a_decision_that_names_no_revision_is_refused(desk):
    comment = make_comment(make_article(), status="pending")
    token = token_from(desk.get(QUEUE).content.decode())
    for posted in ({}, {f"seen-{comment.pk}": "latest"}):
        response = desk.post(
            f"{QUEUE}{comment.pk}/approve/", {"csrfmiddlewaretoken": token, **posted}, follow=True
        )
        assert "did not say which version of the comment" in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_bulk_actions_decide_only_the_comments_whose_words_the_page_showed(client, desk):
    article = make_article()
    kept = make_comment(article, status="pending", name="Kept", body="Unchanged")
    edited = make_comment(article, status="pending", name="Editor Of Own", body="Before")
    html = desk.get(QUEUE).content.decode()
    form = {
        "csrfmiddlewaretoken": token_from(html),
        "action": "approve",
        "_selected_action": [kept.pk, edited.pk],
        f"seen-{kept.pk}": shown_revision(html, kept),
        f"seen-{edited.pk}": shown_revision(html, edited),
    }
    reader_edits(client, edited, "After")

    page = desk.post(QUEUE, form, follow=True).content.decode()

    statuses = dict(Comment.objects.values_list("name", "status"))
    assert statuses == {"Kept": "approved", "Editor Of Own": "pending"}
    assert "Approved: 1 comment." in page
    assert "Not decided, changed by their authors after the page was opened" in page
    assert "Editor Of Own" in page


def test_the_change_page_carries_the_revision_and_refuses_a_stale_decision(client, desk):
    comment = make_comment(make_article(), status="pending", body="On the change page")
    html = desk.get(f"{QUEUE}{comment.pk}/change/").content.decode()
    form = {
        "csrfmiddlewaretoken": token_from(html),
        f"seen-{comment.pk}": shown_revision(html, comment),
        f"reason-{comment.pk}": "off-topic",
    }
    reader_edits(client, comment, "Changed behind the moderator's back")
    desk.post(f"{QUEUE}{comment.pk}/reject/", form)
    comment.refresh_from_db()
    assert comment.status == "pending" and not comment.decisions.exists()


def test_the_rule_lives_on_the_model(moderator):
    comment = make_comment(make_article(), status="pending", body="Read by the moderator")
    seen = comment.revision
    Comment.objects.get(pk=comment.pk).edit_by_author("Rewritten", flags={})
    with pytest.raises(CommentChanged):
        comment.approve(by=moderator, seen=seen)
    # The refused instance now holds what is stored, for the screen to show.
    assert (comment.body, comment.revision) == ("Rewritten", 1)
    comment.refresh_from_db()
    assert comment.status == "pending"
    comment.approve(by=moderator, seen=1)
    assert Comment.objects.get(pk=comment.pk).status == "approved"


def test_an_edit_after_an_approval_it_did_not_see_still_sends_the_comment_back(moderator):
    """The reader's page was loaded while the comment waited; a moderator approved it since.
    The edit is judged on the comment as stored, so the new words wait for a moderator."""
    comment = make_comment(make_article(), status="pending", body="Approved words")
    readers_copy = Comment.objects.get(pk=comment.pk)
    comment.approve(by=moderator, seen=0)
    readers_copy.edit_by_author("Words nobody approved", flags={})
    comment.refresh_from_db()
    assert (comment.status, comment.body) == ("pending", "Words nobody approved")
