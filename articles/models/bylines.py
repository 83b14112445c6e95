from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from .authors import Author
from .loading import LoadedFromRows


def bylines_prefetch() -> Prefetch:
    """Bylines with their authors, in byline order: what `Article.byline_authors` reads.

    Into a list (to_attr), not the related manager's cache: Django builds a filtered queryset
    for each story it fills a manager's cache on, a cost per story card that a list avoids.
    """
    return Prefetch(
        "bylines", queryset=Byline.objects.select_related("author"), to_attr="prefetched_bylines"
    )


class Byline(LoadedFromRows, models.Model):
    article = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="bylines", verbose_name=_("article")
    )
    author = models.ForeignKey(
        Author, on_delete=models.PROTECT, related_name="bylines", verbose_name=_("author")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["article", "author"], name="unique_byline")]

    def __str__(self):
        return f"{self.author} on {self.article}"
