from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Comment
from tests.factories import make_article
from tests.factories_comments import article_page, make_comment, post_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    article = make_article()
    for n in range(3):
        make_comment(article, email="ruth@example.com", body=f"Earlier {n}")
    return article


def test_trusted_commenters_are_off_by_default(client, history):
    post_comment(client, history, body="Fourth time")
    comment = Comment.objects.get(body="Fourth time")
    assert comment.status == Comment.Status.PENDING
    assert not comment.auto_approved


def test_when_on_a_trusted_email_is_auto_approved_and_marked(client, history, settings):
    settings.COMMENTS_TRUST_COMMENTERS = True
    settings.COMMENTS_TRUSTED_MIN_APPROVED = 3
    post_comment(client, history, body="Trusted words")
    comment = Comment.objects.get(body="Trusted words")
    assert comment.status == Comment.Status.APPROVED
    assert comment.auto_approved
    assert "Trusted words" in article_page(client, history)


def test_a_rejected_comment_in_the_window_withdraws_trust(client, history, settings):
    settings.COMMENTS_TRUST_COMMENTERS = True
    make_comment(history, email="ruth@example.com", status="rejected")
    post_comment(client, history, body="Not trusted now")
    assert Comment.objects.get(body="Not trusted now").status == Comment.Status.PENDING


def test_old_approvals_and_too_few_approvals_do_not_count(client, settings):
    settings.COMMENTS_TRUST_COMMENTERS = True
    settings.COMMENTS_TRUSTED_WINDOW_DAYS = 30
    article = make_article()
    old = timezone.now() - timedelta(days=40)
    for _ in range(3):
        make_comment(article, email="ruth@example.com", created_at=old)
    make_comment(article, email="ruth@example.com")
    post_comment(client, article, body="Still new here")
    assert Comment.objects.get(body="Still new here").status == Comment.Status.PENDING


def test_a_flagged_comment_from_a_trusted_email_still_waits(client, history, settings):
    settings.COMMENTS_TRUST_COMMENTERS = True
    post_comment(client, history, body="see http://a.example http://b.example http://c.example")
    comment = Comment.objects.latest("pk")
    assert comment.status == Comment.Status.PENDING
    assert not comment.auto_approved


def test_auto_approvals_can_be_audited_in_the_queue(client, history, settings, moderator_client):
    settings.COMMENTS_TRUST_COMMENTERS = True
    post_comment(client, history, body="Audit me")
    html = moderator_client.get(
        "/admin/comments/comment/?status=approved&auto_approved__exact=1"
    ).content.decode()
    assert "Audit me" in html
    assert "Auto-approved (trusted commenter)" in html
    assert "Earlier 0" not in html
