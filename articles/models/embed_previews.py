"""What a video provider says about an embedded video: its title and a thumbnail kept in our own
storage. Fetched from the provider's oEmbed endpoint once the story that embeds it is saved
(articles/editorial/embed_previews.py), never while a page renders; read by the story's query
(ArticleQuerySet.with_embed_previews) for its structured data."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .json_columns import json_object


class EmbedPreview(models.Model):
    url = models.URLField(
        _("url"),
        max_length=500,
        unique=True,
        help_text=_("The embed's address, as its block stores it."),
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    thumbnail = models.ImageField(
        _("thumbnail"),
        upload_to="embeds/%Y/%m/",
        blank=True,
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(_("width"), null=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, editable=False)
    fetched_at = models.DateTimeField(_("fetched at"), auto_now=True)

    class Meta:
        verbose_name = _("embed preview")
        verbose_name_plural = _("embed previews")

    def __str__(self):
        return self.title or self.url

    @classmethod
    def as_json(cls):
        """What a story page shows of a preview, as one JSON object in the story's own row."""
        fields = ("url", "title", "thumbnail", "width", "height")
        return json_object(**{name: name for name in fields})
