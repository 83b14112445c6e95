import pytest
from django.test import Client

from comments.models import Comment, Report
from comments.outcomes import REPORTED_MESSAGE
from tests.factories import make_article
from tests.factories_comments import article_page, comments_region, make_comment

pytestmark = pytest.mark.django_db


def report(client, comment, reason="abuse", ip="192.0.2.1"):
    return client.post(f"/comments/report/{comment.pk}/", {"reason": reason}, REMOTE_ADDR=ip)


def test_every_shown_comment_has_a_report_link(client):
    article = make_article()
    comment = make_comment(article)
    region = comments_region(article_page(client, article))
    assert f'href="/comments/report/{comment.pk}/"' in region


def test_the_report_page_offers_the_reasons(client):
    comment = make_comment(make_article(), body="Reported words")
    html = client.get(f"/comments/report/{comment.pk}/").content.decode()
    assert "Reported words" in html
    for value in ("abuse", "spam", "off-topic", "other"):
        assert f'value="{value}"' in html


def test_a_report_is_stored_and_the_reader_goes_back_to_the_article_with_thanks(client):
    article = make_article()
    comment = make_comment(article)
    response = report(client, comment, reason="off-topic")
    assert response.status_code == 303
    assert response["Location"] == f"{article.get_absolute_url()}?comment=reported#comments"
    assert list(Report.objects.values_list("comment", "reason", "ip_address")) == [
        (comment.pk, "off-topic", "192.0.2.1")
    ]
    assert REPORTED_MESSAGE in comments_region(client.get(response["Location"]).content.decode())
    assert REPORTED_MESSAGE not in comments_region(article_page(client, article))
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_a_report_without_a_reason_is_refused(client):
    comment = make_comment(make_article())
    response = client.post(f"/comments/report/{comment.pk}/", {"reason": "bored"})
    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_reports_of_hidden_comments_are_404(client):
    comment = make_comment(make_article(), status="pending")
    assert report(client, comment).status_code == 404


def test_enough_reports_send_an_approved_comment_back_to_pending(client, settings):
    settings.COMMENTS_REPORT_THRESHOLD = 3
    article = make_article()
    comment = make_comment(article, body="Contested words")
    report(client, comment, ip="192.0.2.1")
    report(client, comment, ip="192.0.2.1")  # the same reader twice counts once
    report(client, comment, reason="spam", ip="192.0.2.2")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert "Contested words" in article_page(client, article)

    report(client, comment, reason="other", ip="192.0.2.3")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert "Reported by 3 readers" in comment.moderation_reason
    assert "Contested words" not in article_page(client, article)


def test_reports_appear_in_the_queue(moderator):
    comment = make_comment(make_article(), status="approved", body="Look at me")
    for n in range(2):
        comment.report(reason="abuse", ip_address=f"192.0.2.{n}")
    staff = Client()
    staff.force_login(moderator)
    html = staff.get("/admin/comments/comment/?flag=reported&status=all").content.decode()
    assert "Look at me" in html
    assert "Reported (2)" in html
