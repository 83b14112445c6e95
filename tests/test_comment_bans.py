import pytest

from comments.models import Ban, Comment, Decision
from tests.factories import make_article
from tests.factories_comments import make_comment, post_comment

pytestmark = pytest.mark.django_db


def test_a_post_from_a_banned_email_is_stored_as_spam_with_the_reason(client, moderator):
    Ban.objects.create(kind="email", value="Troll@Example.com", created_by=moderator)
    article = make_article()
    response = post_comment(client, article, email="troll@example.com", body="Again me")
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert comment.flags == {"banned": "troll@example.com"}
    assert "Banned email address troll@example.com" in comment.moderation_reason


def test_a_post_from_a_banned_ip_is_stored_as_spam(client):
    Ban.objects.create(kind="ip", value="198.51.100.4", reason="Repeated abuse")
    post_comment(client, make_article(), ip="198.51.100.4")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert "Repeated abuse" in comment.moderation_reason


def test_a_ban_made_from_the_queue_catches_the_next_post(client, moderator_client):
    article = make_article()
    first = make_comment(article, status="pending", email="troll@example.com")
    moderator_client.post(
        "/admin/comments/comment/", {"action": "ban_email", "_selected_action": [first.pk]}
    )
    post_comment(client, article, email="troll@example.com", body="Next one")
    assert Comment.objects.get(body="Next one").status == Comment.Status.SPAM


def test_lifting_a_ban_lets_the_author_post_again_and_spam_can_be_approved(client, moderator):
    ban = Ban.objects.create(kind="email", value="ruth@example.com")
    article = make_article()
    post_comment(client, article, body="Caught")
    ban.delete()
    post_comment(client, article, body="Free again")
    assert Comment.objects.get(body="Free again").status == Comment.Status.PENDING
    caught = Comment.objects.get(body="Caught")
    caught.approve(by=moderator)
    assert caught.status == Comment.Status.APPROVED


def test_the_ban_admin_validates_the_value(moderator_client):
    response = moderator_client.post(
        "/admin/comments/ban/add/", {"kind": "ip", "value": "not-an-ip", "reason": ""}
    )
    assert response.status_code == 200
    assert "Enter a valid IPv4 or IPv6 address." in response.content.decode()
    response = moderator_client.post(
        "/admin/comments/ban/add/", {"kind": "ip", "value": "203.0.113.8", "reason": "abuse"}
    )
    assert response.status_code == 302
    assert Ban.objects.get().created_by.username == "moderator"


def test_a_ban_records_a_spam_decision_for_each_waiting_comment_it_catches(
    moderator_client, moderator
):
    article = make_article()
    caught = [make_comment(article, status="pending", email="troll@example.com") for _ in range(3)]
    spared = make_comment(article, status="pending", email="reader@example.com")
    moderator_client.post(
        "/admin/comments/comment/", {"action": "ban_email", "_selected_action": [caught[0].pk]}
    )
    for comment in caught:
        comment.refresh_from_db()
        assert comment.status == Comment.Status.SPAM
        decision = comment.decisions.get()
        assert (decision.status, decision.by) == (Comment.Status.SPAM, moderator)
        assert "troll@example.com" in decision.note
    spared.refresh_from_db()
    assert spared.status == Comment.Status.PENDING
    assert not spared.decisions.exists()
    # The statistics count what the ban decided, like any moderator's decision.
    assert Decision.objects.filter(status=Comment.Status.SPAM).count() == 3
