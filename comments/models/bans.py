import contextlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comments.addresses import canonical_ip, canonical_network, email_domains, email_key, in_network

from .comments import Comment


class BannedWord(models.Model):
    word = models.CharField(
        _("word"),
        max_length=100,
        unique=True,
        help_text=_("A word or phrase; matched as whole words, ignoring case and accents."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("banned word")
        verbose_name_plural = _("banned words")
        ordering = ["word"]

    def __str__(self):
        return self.word


class Ban(models.Model):
    class Kind(models.TextChoices):
        EMAIL = "email", _("Email address")
        IP = "ip", _("IP address")

    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    value = models.CharField(
        _("value"),
        max_length=254,
        help_text=_(
            "The email address (any case, with or without a +tag), or the IP address or "
            "range (such as 203.0.113.0/24 or 2001:db8::/48)."
        ),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("ban")
        verbose_name_plural = _("bans")
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
        # One by one, as a moderator would: each decision recorded, so statistics count it.
        note = f"{self}. {self.reason}".strip()[:300]
        for comment in Comment.objects.filter(pk__in=caught):
            comment.mark_spam(by=by, note=note)
        return len(caught)
