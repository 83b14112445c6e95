"""Batched mail to moderators about waiting comments: one digest, never one mail per comment."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Comment

logger = logging.getLogger(__name__)
THROTTLE_KEY = "comments:notify:sent"


@transaction.atomic
def send_pending_digest(base_url: str = "") -> int:
    """Mail one digest of the pending comments not yet announced; returns how many it listed."""
    recipients = settings.COMMENTS_NOTIFY_EMAILS
    if not recipients:
        return 0
    waiting = list(
        Comment.objects.pending()
        .filter(notified_at__isnull=True)
        .select_related("article")
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("created_at")[:200]
    )
    if not waiting:
        return 0
    total = Comment.objects.pending().count()
    context = {"comments": waiting, "total": total, "base_url": base_url.rstrip("/")}
    subject = f"{len(waiting)} new comment{'s' if len(waiting) != 1 else ''} waiting for moderation"
    send_mail(
        subject,
        render_to_string("comments/email/digest.txt", context),
        None,
        recipients,
    )
    Comment.objects.filter(pk__in=[c.pk for c in waiting]).update(notified_at=timezone.now())
    return len(waiting)


def notify_soon(base_url: str = "") -> None:
    """Send a digest now unless one went out within the throttle window (shared through the cache)."""
    if not settings.COMMENTS_NOTIFY_EMAILS:
        return
    window = settings.COMMENTS_NOTIFY_EVERY_MINUTES * 60
    if not cache.add(THROTTLE_KEY, True, window):
        return
    try:
        send_pending_digest(base_url)
    except Exception:
        # A mail server outage must not cost a reader their comment; the command retries later.
        logger.exception("Could not mail the moderators about waiting comments")
