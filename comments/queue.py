"""What a page of the moderation queue shows beside each comment, in a fixed number of queries,
and where a decision made on it returns."""

from django.db.models import Count, Min, Prefetch, Q, prefetch_related_objects
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from .models import Comment, Decision, Report

# The queue's tabs, in the order shown; each is a value of the `status` filter.
QUEUES = [
    ("pending", _("Pending")),
    ("reported", _("Reported")),
    ("flagged", _("Flagged")),
    ("all", _("All")),
]


def commenter_history(emails) -> dict[str, dict]:
    """Per email address: approved, rejected, spam and pending counts and when it was first seen.

    One aggregate over the page's addresses (comment_email_idx), however many comments they wrote.
    """
    if not emails:
        return {}
    Status = Comment.Status
    rows = (
        Comment.objects.filter(email__in=emails)
        .order_by()
        .values("email")
        .annotate(
            total=Count("pk"),
            approved=Count("pk", filter=Q(status=Status.APPROVED)),
            rejected=Count("pk", filter=Q(status=Status.REJECTED)),
            spam=Count("pk", filter=Q(status=Status.SPAM)),
            pending=Count("pk", filter=Q(status=Status.PENDING)),
            first_seen=Min("created_at"),
        )
    )
    return {row["email"]: row for row in rows}


def prepare_cards(comments: list[Comment]) -> None:
    """Attach what each card needs: the commenter's history, reports, decisions, the next card.

    Three queries for the page (history, reports, decisions with their moderators).
    """
    history = commenter_history({comment.email for comment in comments})
    prefetch_related_objects(
        comments,
        Prefetch("reports", queryset=Report.objects.since_decision(), to_attr="new_reports_list"),
        Prefetch("decisions", queryset=Decision.objects.select_related("by")),
    )
    for index, comment in enumerate(comments):
        comment.history = history.get(comment.email)
        comment.new_report_reasons = sorted(
            {report.get_reason_display() for report in comment.new_reports_list}
        )
        # After a decision the moderator lands on the next card (the previous one at the end).
        neighbour = comments[index + 1] if index + 1 < len(comments) else None
        if neighbour is None and index:
            neighbour = comments[index - 1]
        comment.next_pk = neighbour.pk if neighbour else None


def queue_url(request) -> str:
    """Where a decision returns: the queue page it was made on (filters kept), else the queue."""
    changelist = reverse("admin:comments_comment_changelist")
    for candidate in (request.POST.get("queue_url", ""), request.META.get("HTTP_REFERER", "")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate.split("#")[0]
    return changelist
