import contextlib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from articles.models import Article

from .addresses import canonical_ip, canonical_network, email_domains, email_key, in_network


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
            # Only reports since the last moderator decision count: one more report must not
            # hide again a comment a moderator has looked at and kept.
            decided_at = Comment.objects.filter(pk=self.pk).values_list("moderated_at", flat=True)[
                0
            ]
            since = self.reports.filter(created_at__gt=decided_at) if decided_at else self.reports
            count = since.count()
            if self.status == self.Status.APPROVED and count >= settings.COMMENTS_REPORT_THRESHOLD:
                Comment.objects.filter(pk=self.pk).update(
                    status=self.Status.PENDING,
                    moderation_reason=f"Reported by {count} readers; back in the queue.",
                    updated_at=timezone.now(),
                )
                self.refresh_from_db()
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
    value = models.CharField(
        max_length=254,
        help_text="The email address (any case, with or without a +tag), or the IP address or "
        "range (such as 203.0.113.0/24 or 2001:db8::/48).",
    )
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
        else:
            with contextlib.suppress(ValueError):  # clean() reports it in forms
                self.value = canonical_network(self.value)
        super().save(*args, **kwargs)

    def clean(self):
        try:
            if self.kind == self.Kind.EMAIL:
                validate_email(self.value.strip())
            else:
                canonical_network(self.value)
        except ValidationError as error:
            raise ValidationError({"value": error.messages}) from error
        except ValueError as error:
            raise ValidationError({"value": [str(error)]}) from error

    def catches(self, *, email: str, ip_address: str | None) -> bool:
        if self.kind == self.Kind.EMAIL:
            return email_key(self.value) == email_key(email)
        return in_network(ip_address, self.value)

    @staticmethod
    def _email_domain_query(field: str, email: str) -> Q:
        query = Q()
        for domain in email_domains(email):
            query |= Q(**{f"{field}__iendswith": f"@{domain}"})
        return query

    @classmethod
    def matching(cls, *, email: str, ip_address: str | None) -> "Ban | None":
        """The ban that catches this address or IP, matched as comments/addresses.py describes."""
        for ban in cls.objects.filter(cls._email_domain_query("value", email), kind=cls.Kind.EMAIL):
            if ban.catches(email=email, ip_address=None):
                return ban
        canonical = canonical_ip(ip_address or "")
        if canonical is None:
            return None
        if ban := cls.objects.filter(kind=cls.Kind.IP, value=canonical).first():
            return ban
        ranges = cls.objects.filter(kind=cls.Kind.IP, value__contains="/")
        return next((ban for ban in ranges if in_network(canonical, ban.value)), None)

    def spam_pending(self, *, by=None) -> int:
        """The banned author's comments still waiting become spam, so none is approved in bulk
        by mistake; returns how many. Decisions already made are left as they are."""
        pending = Comment.objects.pending()
        if self.kind == self.Kind.EMAIL:
            candidates = pending.filter(self._email_domain_query("email", self.value))
        elif "/" in self.value:
            candidates = pending.filter(ip_address__isnull=False)
        else:
            candidates = pending.filter(ip_address=self.value)
        caught = [
            comment.pk
            for comment in candidates.only("pk", "email", "ip_address")
            if self.catches(email=comment.email, ip_address=comment.ip_address)
        ]
        now = timezone.now()
        return Comment.objects.filter(pk__in=caught).update(
            status=Comment.Status.SPAM,
            moderated_by=by,
            moderated_at=now,
            moderation_reason=f"{self}. {self.reason}".strip()[:200],
            auto_approved=False,
            updated_at=now,
        )


def comments_version(article_id: int) -> str:
    """A token that changes whenever what readers see of an article's comments may change.

    For the article page's ETag/Last-Modified: one query over the article index.
    """
    summary = Comment.objects.filter(article_id=article_id).aggregate(
        changed=models.Max("updated_at"),
        count=models.Count("pk"),
        approved=models.Count("pk", filter=Q(status=Comment.Status.APPROVED)),
    )
    changed = summary["changed"].timestamp() if summary["changed"] else 0
    return f"{summary['count']}.{summary['approved']}.{changed:.6f}"


def comments_last_changed(article_id: int):
    """The newest change to any of an article's comments, or None; for Last-Modified."""
    return Comment.objects.filter(article_id=article_id).aggregate(models.Max("updated_at"))[
        "updated_at__max"
    ]
