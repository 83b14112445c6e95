"""Corrections: what a story got wrong, told to readers on the story and at /corrections/."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .stories import Article


class CorrectionQuerySet(models.QuerySet):
    def due(self):
        """Corrections whose time has come (on a story readers see, they are shown)."""
        return self.filter(published_at__lte=timezone.now())

    def published(self):
        """Corrections readers see: their time has come and their story is public."""
        return self.due().filter(article__in=Article.objects.published())


class Correction(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("article")
    )
    text = models.TextField(
        _("text"),
        help_text=_(
            "What was wrong and what is right, in a sentence or two. "
            "Readers see it under the story with its date, and at /corrections/."
        ),
    )
    published_at = models.DateTimeField(
        _("published at"),
        default=timezone.now,
        help_text=_("Adding a correction marks the story as updated."),
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        app_label = "articles"
        ordering = ["-published_at", "-pk"]
        indexes = [
            # /corrections/ and its feed: the newest corrections first.
            models.Index(fields=["-published_at"], name="correction_published_idx"),
        ]

    def __str__(self):
        return f"Correction to “{self.article}”"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#corrections"
