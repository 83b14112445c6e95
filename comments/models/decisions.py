"""Moderators' decisions on comments: each comment's history, and what the statistics count."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .status import Status


class Decision(models.Model):
    """One moderator decision on a comment: its history, and what the desk's statistics count."""

    class Reason(models.TextChoices):
        ABUSIVE = "abusive", _("Abusive")
        SPAM = "spam", _("Spam")
        OFF_TOPIC = "off-topic", _("Off-topic")
        PERSONAL = "personal", _("Personal information")
        LEGAL = "legal", _("Legal risk")
        OTHER = "other", _("Other")

    comment = models.ForeignKey(
        "comments.Comment", on_delete=models.CASCADE, related_name="decisions"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    reason = models.CharField(
        max_length=10, choices=Reason.choices, blank=True, help_text="Why it was rejected."
    )
    note = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    first = models.BooleanField(
        default=False, help_text="The comment's first decision: what time-to-decision measures."
    )
    waited = models.DurationField(help_text="From posting to this decision.")

    class Meta:
        ordering = ["at", "pk"]
        indexes = [
            # The moderation statistics: decisions of the last 30 days.
            models.Index(fields=["at"], name="decision_at_idx"),
        ]

    def __str__(self):
        return f"{self.get_status_display()} by {self.by or 'nobody'} at {self.at:%Y-%m-%d %H:%M}"
