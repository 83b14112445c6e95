"""Reports counted towards hiding a comment are those made since a moderator last decided on it."""

import pytest
from django.test import Client

from comments.models import Comment
from tests.factories import make_article
from tests.factories_comments import make_comment

pytestmark = pytest.mark.django_db


def report(comment, ip):
    return Client().post(f"/comments/report/{comment.pk}/", {"reason": "abuse"}, REMOTE_ADDR=ip)


def test_one_report_does_not_hide_a_comment_a_moderator_kept(moderator, settings):
    settings.COMMENTS_REPORT_THRESHOLD = 3
    comment = make_comment(make_article())
    for n in range(3):
        report(comment, f"192.0.2.{n + 1}")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING

    comment.approve(by=moderator)
    report(comment, "192.0.2.99")

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_enough_new_reports_after_the_decision_send_it_back_again(moderator, settings):
    settings.COMMENTS_REPORT_THRESHOLD = 2
    comment = make_comment(make_article())
    comment.approve(by=moderator)
    for n in range(2):
        report(comment, f"198.51.100.{n + 1}")

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
