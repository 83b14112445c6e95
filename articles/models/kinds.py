"""What kind of story readers are reading: the label above its headline (articles/public/seo.py
maps each kind to its schema.org type)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    NEWS = "news", _("News")
    ANALYSIS = "analysis", _("Analysis")
    OPINION = "opinion", _("Opinion")
    REVIEW = "review", _("Review")
    SPONSORED = "sponsored", _("Sponsored")
    LIVE = "live", _("Live")
