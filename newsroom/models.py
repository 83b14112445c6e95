"""What the wiring package stores itself: security counters (newsroom/counters.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityCounter(models.Model):
    """Attempts counted within a window: failed logins per account, password reset requests per
    address and per email. Kept in the database, not the cache, so that nothing that fills the
    cache (cached pages) can evict a count and lift a limit."""

    key = models.CharField(_("key"), max_length=100, primary_key=True)
    count = models.PositiveIntegerField(_("count"))
    expires_at = models.DateTimeField(
        _("expires at"),
        db_index=True,
        help_text=_("The count starts again from nothing at this time."),
    )

    class Meta:
        # The index on expires_at is used by counters.hit(), which deletes expired counts.
        verbose_name = _("security counter")
        verbose_name_plural = _("security counters")

    def __str__(self):
        return f"{self.key}: {self.count} until {self.expires_at:%Y-%m-%d %H:%M}"
