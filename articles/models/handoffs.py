"""Handoffs between writer and editor: the note an editor writes when sending a story back.

Each send-back is kept (the story's history); the writer's desk and the change form show the
latest one while the story is still sent back, that is until it goes to review again
(`Article.sent_back_at`, cleared on that move).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .stories import Article


class SendBack(models.Model):
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="send_backs",
        verbose_name=gettext_lazy("article"),
    )
    note = models.TextField(
        gettext_lazy("note"),
        help_text=gettext_lazy("Why the story goes back: what the writer should do."),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=gettext_lazy("by"),
    )
    at = models.DateTimeField(gettext_lazy("at"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("send back")
        verbose_name_plural = gettext_lazy("send backs")
        app_label = "articles"
        ordering = ["-at", "-pk"]
        get_latest_by = "at"
        indexes = [
            # The desk's "Sent back to you": each story's latest note.
            models.Index(fields=["article", "-at"], name="sendback_article_latest_idx"),
        ]

    def __str__(self):
        return f"{self.article} sent back: {self.note[:60]}"

    @property
    def by_name(self) -> str:
        if self.by is None:
            return _("an editor")
        return self.by.get_full_name() or self.by.get_username()
