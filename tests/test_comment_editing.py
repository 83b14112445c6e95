"""Commenters fix their own words for a few minutes through a signed link, without an account."""

from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from comments.editing import edit_token
from comments.models import BannedWord, Comment
from tests.factories import make_article
from tests.factories_comments import comments_region, make_comment, post_comment

pytestmark = pytest.mark.django_db


def edit_url(comment) -> str:
    return f"/comments/edit/{edit_token(comment)}/"


def test_the_confirmation_offers_a_signed_link_to_edit_or_withdraw(client):
    article = make_article()
    response = post_comment(client, article, body="My first go")
    comment = Comment.objects.get()
    # The story page stays the same for everyone who just posted: the link there is the same for
    # all, and the reader's own signed token travels in a cookie scoped to /comments/edit/.
    assert response["Location"] == f"{article.get_absolute_url()}?comment=sent#comments"
    assert response.cookies["comment_edit"]["path"] == "/comments/edit/"
    assert response.cookies["comment_edit"]["httponly"]
    page = client.get(response["Location"])
    assert not page.cookies
    region = comments_region(page.content.decode())
    assert '<a href="/comments/edit/">edit or withdraw your comment</a>' in region
    mine = client.get("/comments/edit/")
    assert mine.status_code == 302
    assert mine["Location"] == edit_url(comment)
    edit_page = client.get(mine["Location"])
    assert edit_page.status_code == 200
    assert "My first go" in edit_page.content.decode()


def test_the_edit_link_leads_nowhere_for_a_forged_missing_or_expired_token(client):
    article = make_article()
    old = make_comment(article, status="pending", created_at=timezone.now() - timedelta(minutes=11))
    assert Client().get("/comments/edit/").status_code == 404
    for token, status in (("nonsense", 404), (edit_token(old), 410)):
        client.cookies["comment_edit"] = token
        response = client.get("/comments/edit/")
        assert response.status_code == status
        assert "Edit or withdraw your comment" not in response.content.decode()


def test_a_reader_edits_a_pending_comment_and_the_checks_run_again(client):
    BannedWord.objects.create(word="scoundrel")
    comment = make_comment(
        make_article(), status="pending", body="Mild words", flags={"duplicate": True}
    )
    response = client.post(edit_url(comment), {"body": "You scoundrel"})
    assert response.status_code == 303
    comment.refresh_from_db()
    assert comment.body == "You scoundrel"
    assert comment.status == "pending"
    assert comment.flags == {"duplicate": True, "banned_words": ["scoundrel"]}


def test_an_edit_after_approval_sends_the_comment_back_to_pending(client):
    comment = make_comment(make_article(), status="approved", auto_approved=True, body="Published")
    client.post(edit_url(comment), {"body": "Published, then changed"})
    comment.refresh_from_db()
    assert (comment.status, comment.auto_approved) == ("pending", False)
    assert comment.body == "Published, then changed"
    assert "Published, then changed" not in comments_region(
        client.get(comment.article.get_absolute_url()).content.decode()
    )


def test_a_reader_withdraws_their_comment(client):
    comment = make_comment(make_article(), status="pending")
    response = client.post(edit_url(comment), {"withdraw": "1"})
    assert response.status_code == 303
    assert not Comment.objects.filter(pk=comment.pk).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Your comment was withdrawn." in page


def test_the_window_closes_after_ten_minutes(client):
    now = timezone.now()
    inside = make_comment(
        make_article(), status="pending", created_at=now - timedelta(minutes=9, seconds=59)
    )
    outside = make_comment(make_article(), status="pending", created_at=now - timedelta(minutes=10))
    assert inside.is_editable(now) and not outside.is_editable(now)
    assert inside.is_editable(now + timedelta(seconds=0.5))
    response = client.post(edit_url(outside), {"body": "Too late"})
    assert response.status_code == 410
    assert "The time to change this comment has passed" in response.content.decode()
    assert client.post(edit_url(outside), {"withdraw": "1"}).status_code == 410
    outside.refresh_from_db()
    assert outside.body != "Too late"


def test_a_rejected_comment_cannot_be_changed(client):
    comment = make_comment(make_article(), status="rejected")
    response = client.get(edit_url(comment))
    assert response.status_code == 409
    assert "A moderator has decided on this comment" in response.content.decode()


def test_the_signature_protects_the_link(client):
    comment = make_comment(make_article(), status="pending", body="Mine")
    other = make_comment(make_article(), status="pending", body="Someone else's")
    token = edit_token(comment)
    payload = token.split(":", 1)[0]
    forged = signing.dumps({"id": other.pk, "at": other.created_at.timestamp()}, salt="wrong")
    for bad in (f"x{token}", forged, token.replace(payload, edit_token(other).split(":", 1)[0])):
        assert client.get(f"/comments/edit/{bad}/").status_code == 404
        assert client.post(f"/comments/edit/{bad}/", {"withdraw": "1"}).status_code == 404
    assert Comment.objects.count() == 2


def test_an_empty_edit_is_refused_with_a_clear_message_and_nothing_changes(client):
    comment = make_comment(make_article(), status="pending", body="Keep me")
    response = client.post(edit_url(comment), {"body": ""})
    assert response.status_code == 400
    assert "Please write a comment, or withdraw it instead." in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Keep me"


def test_the_edit_form_needs_its_csrf_token():
    comment = make_comment(make_article(), status="pending")
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(edit_url(comment), {"body": "Changed"}).status_code == 403
    comment.refresh_from_db()
    assert comment.body != "Changed"
