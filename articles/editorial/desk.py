"""The editorial desk: what needs each person's attention, shown on the admin home, and the mail
that tells editors a story waits for them."""

import logging
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from articles.models import PUBLISH_PERMISSION, Article, Photo

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


def notify_editors_of_review(article: Article) -> None:
    """Mail the editors that a story was sent to review (Django's email settings, as the
    comment digests use). A mail outage must not undo the reporter's save."""
    recipients = editor_emails()
    if not recipients:
        return
    body = render_to_string("articles/email/review_request.txt", {"article": article})
    try:
        subject = gettext("For review: %(headline)s") % {"headline": article.headline}
        send_mail(subject, body, None, recipients)
    except Exception:
        logger.exception("Could not mail the editors about a story sent to review")


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


def desk_for(user) -> dict:
    """What the admin home shows `user`: their drafts and stories sent back, stories under
    embargo; for editors, the review queue, the schedule, what was just published and photos
    whose rights run out."""
    now = timezone.now()
    mine = own_stories(user)
    desk = {
        "my_drafts": list(
            mine.filter(status=Article.Status.DRAFT, sent_back_at__isnull=True).order_by(
                "-updated_at"
            )[:DESK_LENGTH]
        ),
        "sent_back": list(
            mine.filter(status=Article.Status.DRAFT, sent_back_at__isnull=False).order_by(
                "-sent_back_at"
            )[:DESK_LENGTH]
        ),
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
