"""Keys for the content API (articles/api): one per consumer (an app, a partner, a newsletter).

A key is shown once, when it is made, and stored only as the SHA-256 of its secret: a copy of the
database gives nobody a working key. Its first characters (the prefix) are kept in clear, to find
the row and to tell keys apart in the admin. The secret is 256 random bits, so a plain hash is as
strong as a slow password hash here, and costs nothing on every request.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX_LENGTH = 8


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def create_key(self, name: str, *, by=None) -> tuple["ApiKey", str]:
        """A new key named `name`, and the key itself (`<prefix>.<secret>`): the only time it
        exists in clear."""
        key = self.model(name=name, created_by=by)
        presented = key.make_secret()
        key.save()
        return key, presented

    def authenticate(self, presented: str) -> "ApiKey | None":
        """The active key `presented` is, or None (unknown, malformed or revoked)."""
        prefix, dot, secret = presented.partition(".")
        if not dot or len(prefix) != PREFIX_LENGTH or not secret:
            return None
        key = self.active().filter(prefix=prefix).first()
        # Compared in constant time: how long a wrong secret takes says nothing of the right one.
        if key is None or not hmac.compare_digest(key.hashed_secret, _digest(secret)):
            return None
        return key


class ApiKey(models.Model):
    name = models.CharField(
        _("name"),
        max_length=100,
        unique=True,
        help_text=_("Who uses the key, such as “iOS app” or “Partner: Ynet”."),
    )
    prefix = models.CharField(
        _("prefix"),
        max_length=PREFIX_LENGTH,
        unique=True,
        editable=False,
        help_text=_("The start of the key, to tell keys apart. The rest is never stored."),
    )
    hashed_secret = models.CharField(_("hashed secret"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    revoked_at = models.DateTimeField(
        _("revoked at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("A revoked key is refused at once (and its cached answers purged)."),
    )

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("API keys")
        app_label = "articles"
        ordering = ["name"]
        verbose_name = _("API key")

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def make_secret(self) -> str:
        """Give this (new) key its prefix and secret; returns the key as its holder sends it."""
        self.prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        secret = secrets.token_urlsafe(32)
        self.hashed_secret = _digest(secret)
        return f"{self.prefix}.{secret}"

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
