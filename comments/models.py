from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_ipv46_address
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from articles import page_cache
from articles.models import Article


def comments_are_open(article: Article) -> bool:
    """Readers may comment on a public story whose comments are on and that is not too old."""
    if not article.is_published or not article.comments_open:
        return False
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    return not days or article.published_at >= timezone.now() - timedelta(days=days)


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """What the public may see: approved comments, and approved replies in approved threads."""
        return self.filter(status=Comment.Status.APPROVED).filter(
            Q(parent__isnull=True) | Q(parent__status=Comment.Status.APPROVED)
        )

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def threads_for(self, article):
        """An article's approved top-level comments, oldest first, replies prefetched."""
        replies = Comment.objects.filter(status=Comment.Status.APPROVED).order_by("created_at")
        return (
            self.filter(article=article, parent__isnull=True, status=Comment.Status.APPROVED)
            .order_by("created_at", "pk")
            .prefetch_related(models.Prefetch("replies", queryset=replies, to_attr="shown_replies"))
        )


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        help_text="The thread this reply belongs to; replies are one level deep.",
    )
    name = models.CharField(max_length=80)
    email = models.EmailField(help_text="Never shown publicly.")
    body = models.TextField()
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        help_text="Readers see a comment only once a moderator (or the trusted-commenter rule) "
        "approves it.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_reason = models.CharField(max_length=200, blank=True)
    flags = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the automatic checks raised, by check name.",
    )
    auto_approved = models.BooleanField(
        default=False, help_text="Approved by the trusted-commenter rule, not by a person."
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    notified_at = models.DateTimeField(
        null=True, blank=True, help_text="When moderators were mailed about it."
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # The moderation queue: pending comments, oldest first.
            models.Index(fields=["status", "created_at"], name="comment_queue_idx"),
            # The article page: an article's approved comments, oldest first.
            models.Index(fields=["article", "status", "created_at"], name="comment_article_idx"),
            # Trusted-commenter and duplicate checks: one address's recent comments.
            models.Index(fields=["email", "created_at"], name="comment_email_idx"),
        ]

    def __str__(self):
        return f"{self.name} on {self.article}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#c{self.pk}"

    @classmethod
    def from_db(cls, db, field_names, values):
        # The status as stored: whether readers saw this comment before a change (signals.py).
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    def _decide(self, status, by, reason=""):
        self.status = status
        self.moderated_by = by
        self.moderated_at = timezone.now()
        self.moderation_reason = reason
        self.auto_approved = False
        self.save(
            update_fields=[
                "status",
                "moderated_by",
                "moderated_at",
                "moderation_reason",
                "auto_approved",
                "updated_at",
            ]
        )

    def approve(self, *, by, reason=""):
        self._decide(self.Status.APPROVED, by, reason)

    def reject(self, *, by, reason=""):
        self._decide(self.Status.REJECTED, by, reason)

    def mark_spam(self, *, by, reason=""):
        self._decide(self.Status.SPAM, by, reason)

    def report(self, *, reason: str, ip_address: str | None) -> "Report | None":
        """Record a reader's report; enough of them send an approved comment back to the queue."""
        with transaction.atomic():
            report, created = Report.objects.get_or_create(
                comment=self, ip_address=ip_address, defaults={"reason": reason}
            )
            if not created:
                return None
            count = self.reports.count()
            if self.status == self.Status.APPROVED and count >= settings.COMMENTS_REPORT_THRESHOLD:
                Comment.objects.filter(pk=self.pk).update(
                    status=self.Status.PENDING,
                    moderation_reason=f"Reported by {count} readers; back in the queue.",
                    updated_at=timezone.now(),
                )
                self.refresh_from_db()
                # An update() sends no signal: readers' pages of the story start afresh here.
                page_cache.purge([page_cache.comments_key(self.article_id)])
        return report


class Report(models.Model):
    class Reason(models.TextChoices):
        ABUSE = "abuse", "Abusive or hateful"
        SPAM = "spam", "Spam or advertising"
        OFF_TOPIC = "off-topic", "Off-topic"
        OTHER = "other", "Something else"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One report per reader address, so one person cannot push a comment off the page.
            models.UniqueConstraint(fields=["comment", "ip_address"], name="unique_report_per_ip")
        ]

    def __str__(self):
        return f"{self.get_reason_display()} report on comment {self.comment_id}"


class BannedWord(models.Model):
    word = models.CharField(
        max_length=100,
        unique=True,
        help_text="A word or phrase; matched as whole words, ignoring case and accents.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["word"]

    def __str__(self):
        return self.word


class Ban(models.Model):
    class Kind(models.TextChoices):
        EMAIL = "email", "Email address"
        IP = "ip", "IP address"

    kind = models.CharField(max_length=5, choices=Kind.choices)
    value = models.CharField(max_length=254, help_text="The email address or IP address.")
    reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="unique_ban")]

    def __str__(self):
        return f"Ban on {self.get_kind_display().lower()} {self.value}"

    def save(self, *args, **kwargs):
        self.value = self.value.strip()
        if self.kind == self.Kind.EMAIL:
            self.value = self.value.lower()
        super().save(*args, **kwargs)

    def clean(self):
        validator = validate_email if self.kind == self.Kind.EMAIL else validate_ipv46_address
        try:
            validator(self.value.strip())
        except ValidationError as error:
            raise ValidationError({"value": error.messages}) from error

    @classmethod
    def matching(cls, *, email: str, ip_address: str | None) -> "Ban | None":
        query = Q(kind=cls.Kind.EMAIL, value=email.strip().lower())
        if ip_address:
            query |= Q(kind=cls.Kind.IP, value=ip_address)
        return cls.objects.filter(query).first()
