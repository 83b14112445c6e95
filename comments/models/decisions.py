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
        "comments.Comment",
        on_delete=models.CASCADE,
        related_name="decisions",
        verbose_name=_("comment"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    reason = models.CharField(
        _("reason"),
        max_length=10,
        choices=Reason.choices,
        blank=True,
        help_text=_("Why it was rejected."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    first = models.BooleanField(
        _("first"),
        default=False,
        help_text=_("The comment's first decision: what time-to-decision measures."),
    )
    waited = models.DurationField(_("waited"), help_text=_("From posting to this decision."))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["at", "pk"]
        indexes = [
            # The moderation statistics: decisions of the last 30 days.
            models.Index(fields=["at"], name="decision_at_idx"),
        ]

    def __str__(self):
        return f"{self.get_status_display()} by {self.by or 'nobody'} at {self.at:%Y-%m-%d %H:%M}"
