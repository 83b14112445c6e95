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

from articles import caching

PREFIX_LENGTH = 8
# How long a key is kept (its kept entry: the key as last saved, or GONE), in the cache every
# process shares (so a revocation reaches every worker at once). Saving or deleting the key
# replaces its entry at once (api/signal_handlers.py); the time only bounds what an entry
# written by a request that read the key just before a change could leave.
KEPT_SECONDS = 3600
GONE = "gone"


def _kept_name(prefix: str) -> str:
    return f"articles:api-key:{prefix}"


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

    def authenticate(self, presented: str, *, kept_only: bool = False) -> "ApiKey | None":
        """The active key `presented` is, or None (unknown, malformed or revoked).

        From the key's kept entry when there is one (no query: a kept answer costs none), else
        from the database, and then kept. A revoked, deleted or unknown key always takes the
        database: only an active key is ever answered from the cache. `kept_only`: None rather
        than a query (for api/served.py, which runs outside Django's request cycle).
        """
        prefix, dot, secret = presented.partition(".")
        if not dot or len(prefix) != PREFIX_LENGTH or not secret:
            return None
        kept = _from_entry(caching.shared_store().get(_kept_name(prefix)))
        if kept is not None and kept.is_active:
            return kept if _matches(kept, secret) else None
        if kept_only:
            return None
        key = self.active().filter(prefix=prefix).first()
        if key is None or not _matches(key, secret):
            return None
        # add(), not set(): an entry written since by the key's save or delete (a revocation
        # committed after this request read the key) is never overwritten with what it read.
        caching.shared_store().add(_kept_name(prefix), key.kept_entry(), KEPT_SECONDS)
        return key


# What a key's kept entry holds: enough to check a key and say whose it is, nothing else.
_KEPT_FIELDS = ("id", "name", "prefix", "hashed_secret", "revoked_at")


def _from_entry(entry) -> "ApiKey | None":
    if not isinstance(entry, tuple) or len(entry) != len(_KEPT_FIELDS):
        return None  # none, GONE, or of another shape
    return ApiKey.from_db(None, _KEPT_FIELDS, entry)


def _matches(key: "ApiKey", secret: str) -> bool:
    # Compared in constant time: how long a wrong secret takes says nothing of the right one.
    return hmac.compare_digest(key.hashed_secret, _digest(secret))


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

    # What a key may read. Every key has the same rights today (docs/api.md): one class. Kept
    # answers are told apart by it, so that a second class could never get another's answers.
    consumer_class = "standard"

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

    def replace_kept_entry(self, *, deleted: bool = False) -> None:
        """Put this key's state as just saved (or GONE once deleted) where requests look first,
        so that a revoked or deleted key is refused at the next request. Called after every save
        and delete (api/signal_handlers.py)."""
        entry = GONE if deleted else self.kept_entry()
        caching.shared_store().set(_kept_name(self.prefix), entry, KEPT_SECONDS)

    def kept_entry(self) -> tuple:
        return tuple(getattr(self, field) for field in _KEPT_FIELDS)
