"""Batched mail to moderators about waiting comments: one digest, never one mail per comment."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import ngettext

from .models import Comment

logger = logging.getLogger(__name__)
THROTTLE_KEY = "comments:notify:sent"
BODY_SHOWN = 160


def one_line(text: str) -> str:
    """Text for the middle of one of our lines: every kind of line break folded to a space."""
    return " ".join(text.split())


def quoted(text: str) -> str:
    """Reader text as mail quotes it, each line behind "> ", so nothing a reader writes passes
    for a line of ours (a forged "The queue:" link). splitlines() breaks at every character a
    mail client may show as a line break (CR, LF, form feed, U+2028 …), not only at LF."""
    return "\n".join(f"> {line}".rstrip() for line in text.splitlines() or [""])


def digest_entry(comment: Comment) -> dict:
    return {
        "name": one_line(comment.name),
        "headline": one_line(comment.article.headline),
        "created_at": comment.created_at,
        "flags": comment.flags,
        "body": quoted(Truncator(comment.body).chars(BODY_SHOWN)),
    }


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
    context = {
        "comments": [digest_entry(comment) for comment in waiting],
        "total": total,
        "base_url": base_url.rstrip("/"),
    }
    subject = ngettext(
        "%(count)d new comment waiting for moderation",
        "%(count)d new comments waiting for moderation",
        len(waiting),
    ) % {"count": len(waiting)}
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
