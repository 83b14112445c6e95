"""What a video provider says about an embedded video: its title and a thumbnail kept in our own
storage. Fetched from the provider's oEmbed endpoint once the story that embeds it is saved
(articles/editorial/embed_previews.py), never while a page renders; read by the story's query
(ArticleQuerySet.with_embed_previews) for its structured data."""

from django.db import models
from django.db.models.functions import JSONObject


class EmbedPreview(models.Model):
    url = models.URLField(
        max_length=500, unique=True, help_text="The embed's address, as its block stores it."
    )
    title = models.CharField(max_length=300, blank=True)
    thumbnail = models.ImageField(
        upload_to="embeds/%Y/%m/", blank=True, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    fetched_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.title or self.url

    @classmethod
    def as_json(cls):
        """What a story page shows of a preview, as one JSON object in the story's own row."""
        fields = ("url", "title", "thumbnail", "width", "height")
        return JSONObject(**{name: name for name in fields})
