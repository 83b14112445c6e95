"""Readers' reports on comments: enough of them send an approved comment back to the queue."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportQuerySet(models.QuerySet):
    def since_decision(self):
        """Reports made since their comment's last decision: a decision answers those before."""
        return self.filter(
            Q(created_at__gt=F("comment__moderated_at")) | Q(comment__moderated_at__isnull=True)
        )


class Report(models.Model):
    class Reason(models.TextChoices):
        ABUSE = "abuse", _("Abusive or hateful")
        SPAM = "spam", _("Spam or advertising")
        OFF_TOPIC = "off-topic", _("Off-topic")
        OTHER = "other", _("Something else")

    comment = models.ForeignKey(
        "comments.Comment",
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("comment"),
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    ip_address = models.GenericIPAddressField(_("ip address"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]
        constraints = [
            # One report per reader address, so one person cannot push a comment off the page.
            models.UniqueConstraint(fields=["comment", "ip_address"], name="unique_report_per_ip")
        ]

    def __str__(self):
        return f"{self.get_reason_display()} report on comment {self.comment_id}"
