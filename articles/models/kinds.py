"""What kind of story readers are reading: the label above its headline (articles/public/seo.py
maps each kind to its schema.org type)."""

from django.db import models


class Kind(models.TextChoices):
    NEWS = "news", "News"
    ANALYSIS = "analysis", "Analysis"
    OPINION = "opinion", "Opinion"
    REVIEW = "review", "Review"
    SPONSORED = "sponsored", "Sponsored"
    LIVE = "live", "Live"
