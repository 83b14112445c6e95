"""“Being edited by X”: a lock that the change page takes and that expires on its own.

The lock only warns (as WordPress and Wagtail do); what prevents a lost edit is the version
check on save (articles/revisions.py). Opening or saving the page renews it; a small admin
script renews it while the page stays open, and without it the lock simply runs out.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .stories import Article

LOCK_DURATION = timedelta(minutes=5)


class EditLock(models.Model):
    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="edit_lock", verbose_name=_("article")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("edit lock")
        verbose_name_plural = _("edit locks")
        app_label = "articles"

    def __str__(self):
        return f"{self.article} being edited by {self.user}"

    @property
    def is_live(self) -> bool:
        return self.expires_at > timezone.now()


def take(article: Article, user) -> EditLock | None:
    """Take or renew `user`'s lock; returns someone else's live lock instead, if there is one."""
    now = timezone.now()
    lock, created = EditLock.objects.get_or_create(
        article=article, defaults={"user": user, "expires_at": now + LOCK_DURATION}
    )
    if created:
        return None
    if lock.user_id != user.pk and lock.expires_at > now:
        return lock
    EditLock.objects.filter(pk=lock.pk).update(user=user, expires_at=now + LOCK_DURATION)
    return None


def release(article: Article, user) -> None:
    EditLock.objects.filter(article=article, user=user).delete()
