import pytest
from django.core import mail
from django.core.management import call_command

from comments.models import Comment
from tests.factories import make_article
from tests.factories_comments import make_comment, post_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def notify(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.COMMENTS_NOTIFY_EMAILS = ["desk@example.com", "night@example.com"]
    settings.COMMENTS_NOTIFY_EVERY_MINUTES = 15


def test_no_addresses_no_mail(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    post_comment(client, make_article())
    call_command("notify_moderators")
    assert mail.outbox == []


def test_posts_send_at_most_one_digest_per_window(client, notify):
    article = make_article()
    post_comment(client, article, body="First waiting", ip="192.0.2.1")
    post_comment(client, article, body="Second waiting", ip="192.0.2.2")
    post_comment(client, article, body="Third waiting", ip="192.0.2.3")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["desk@example.com", "night@example.com"]
    assert message.subject == "1 new comment waiting for moderation"
    assert "First waiting" in message.body
    assert "/admin/comments/comment/" in message.body


def test_the_command_mails_one_digest_of_what_arrived_since_the_last(client, notify):
    article = make_article()
    make_comment(article, status="pending", body="Alpha")
    make_comment(article, status="pending", body="Beta")
    make_comment(article, status="approved", body="Already public")
    call_command("notify_moderators", base_url="https://news.example")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Alpha" in body and "Beta" in body and "Already public" not in body
    assert "https://news.example/admin/comments/comment/" in body
    assert mail.outbox[0].subject == "2 new comments waiting for moderation"

    call_command("notify_moderators")
    assert len(mail.outbox) == 1  # nothing new since the last digest

    make_comment(article, status="pending", body="Gamma")
    call_command("notify_moderators")
    assert len(mail.outbox) == 2
    assert "Gamma" in mail.outbox[1].body and "Alpha" not in mail.outbox[1].body
    assert not Comment.objects.filter(status="pending", notified_at__isnull=True).exists()


def test_spam_does_not_wake_the_moderators(client, notify):
    post_comment(client, make_article(), website="http://bot.example")
    assert mail.outbox == []
