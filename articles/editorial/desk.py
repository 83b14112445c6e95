"""The editorial desk: what needs each person's attention, shown on the admin home, and the mail
that tells editors a story waits for them."""

import logging
import smtplib
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from articles.models import PUBLISH_PERMISSION, Article, Photo, SendBack

from .holders import display_name, with_holders

logger = logging.getLogger(__name__)

DESK_LENGTH = 10
RIGHTS_WARNING = timedelta(days=7)


def editor_emails() -> list[str]:
    """Active staff who may publish (the Editors group, or given the permission directly)."""
    # Django's own query of who holds a permission (superusers included); its backend named,
    # as axes is listed too.
    editors = get_user_model().objects.with_perm(
        PUBLISH_PERMISSION, backend="django.contrib.auth.backends.ModelBackend"
    )
    emails = editors.filter(is_staff=True).exclude(email="").values_list("email", flat=True)
    return sorted(set(emails))


# Stories whose review mail failed while a `review_mail_failures()` block runs (an admin
# request), so that the admin can say so on screen; None outside such a block.
_unmailed: ContextVar[list | None] = ContextVar("unmailed_reviews", default=None)


@contextmanager
def review_mail_failures():
    """Collects the stories sent to review in the block whose mail to the editors failed."""
    token = _unmailed.set([])
    try:
        yield _unmailed.get()
    finally:
        _unmailed.reset(token)


def notify_editors_of_review(article: Article) -> bool:
    """Mail the editors that a story was sent to review (Django's email settings, as the
    comment digests use); whether it went. A mail outage must not undo the reporter's save: it
    is a predictable failure, logged as one line and told to whoever is on screen."""
    recipients = editor_emails()
    if not recipients:
        return True
    body = render_to_string("articles/email/review_request.txt", {"article": article})
    try:
        subject = gettext("For review: %(headline)s") % {"headline": article.headline}
        send_mail(subject, body, None, recipients)
    except (smtplib.SMTPException, OSError) as error:
        logger.warning(
            "Could not mail the editors that story %s was sent to review: %s",
            article.pk,
            error or type(error).__name__,
        )
        if (unmailed := _unmailed.get()) is not None:
            unmailed.append(article)
        return False
    return True


def expiring_photos():
    """Photos whose rights run out within RIGHTS_WARNING or have run out, shown by a live or
    scheduled story: as its lead photo or in its blocks."""
    horizon = timezone.localdate() + RIGHTS_WARNING
    live = Article.Status.PUBLISHED
    return Photo.objects.filter(rights_expire_on__lte=horizon).filter(
        Q(lead_for__status=live) | Q(shown_in_blocks__status=live)
    )


def lives_with_expiring_photos():
    """Live or scheduled stories showing a photo (lead or in the blocks) whose rights run out
    within RIGHTS_WARNING or have already run out, soonest first: an editor must swap the photo
    or renew the licence. Each carries its soonest such photo as `photo_at_risk` (its id,
    caption, last day and whether it passed: `at_risk_id`, `at_risk_name`, `at_risk_until`,
    `at_risk_expired`)."""
    at_risk = (
        expiring_photos()
        .filter(Q(lead_for=OuterRef("pk")) | Q(shown_in_blocks=OuterRef("pk")))
        .order_by("rights_expire_on", "pk")
    )
    return (
        Article.objects.filter(status=Article.Status.PUBLISHED)
        .annotate(
            at_risk_id=Subquery(at_risk.values("pk")[:1]),
            at_risk_name=Subquery(at_risk.values("caption")[:1]),
            at_risk_until=Subquery(at_risk.values("rights_expire_on")[:1]),
        )
        .filter(at_risk_id__isnull=False)
        .annotate(
            at_risk_expired=ExpressionWrapper(
                Q(at_risk_until__lt=timezone.localdate()), output_field=BooleanField()
            )
        )
        .select_related("section")
        .order_by("at_risk_until", "pk")
    )


def own_stories(user):
    """A reporter's stories: those they created or carry their byline."""
    return Article.objects.filter(Q(created_by=user) | Q(authors__user=user)).distinct()


def with_send_back_notes(stories):
    """Each story with its latest send-back note, who wrote it (`send_back_note`,
    `send_back_by`, `send_back_by_name`)."""
    latest = SendBack.objects.filter(article=OuterRef("pk")).order_by("-at", "-pk")
    return stories.annotate(
        send_back_note=Subquery(latest.values("note")[:1]),
        send_back_by=Subquery(latest.values("by__username")[:1]),
        send_back_by_name=Subquery(latest.annotate(name=display_name("by__")).values("name")[:1]),
    )


def desk_for(user) -> dict:
    """What the admin home shows `user`: their drafts, stories sent back (with the editor's
    note), in review and scheduled (with who holds them), stories under embargo; for editors,
    the review queue, the schedule, what was just published and photos whose rights run out."""
    now = timezone.now()
    mine = own_stories(user)
    desk = {
        "my_drafts": list(
            mine.filter(status=Article.Status.DRAFT, sent_back_at__isnull=True).order_by(
                "-updated_at"
            )[:DESK_LENGTH]
        ),
        "sent_back": list(
            with_send_back_notes(
                mine.filter(status=Article.Status.DRAFT, sent_back_at__isnull=False)
            ).order_by("-sent_back_at")[:DESK_LENGTH]
        ),
        "my_in_review": list(
            with_holders(mine.filter(status=Article.Status.REVIEW)).order_by("updated_at")[
                :DESK_LENGTH
            ]
        ),
        "my_scheduled": list(with_holders(mine.scheduled()).order_by("published_at")[:DESK_LENGTH]),
        # Everyone on the desk: what nobody may publish yet, and until when.
        "embargoed": list(
            Article.objects.under_embargo().order_by("embargo_until", "pk")[:DESK_LENGTH]
        ),
        "is_editor": user.has_perm(PUBLISH_PERMISSION),
        "time_zone": timezone.get_current_timezone_name(),
    }
    if desk["is_editor"]:
        in_review = Article.objects.filter(status=Article.Status.REVIEW)
        desk |= {
            "review_count": in_review.count(),
            "in_review": list(in_review.order_by("updated_at")[:DESK_LENGTH]),
            "scheduled": list(Article.objects.scheduled().order_by("published_at")[:DESK_LENGTH]),
            "recently_published": list(
                Article.objects.published().filter(published_at__gte=now - timedelta(days=2))[
                    :DESK_LENGTH
                ]
            ),
            "expiring_photos": list(lives_with_expiring_photos()[:DESK_LENGTH]),
        }
    return desk
