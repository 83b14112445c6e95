from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .loading import LoadedFromRows
from .paths import path_of

# First path segments the site itself uses: a section with one of these slugs would be unreachable.
RESERVED_SECTION_SLUGS = frozenset(
    {
        "about", "admin", "api", "author", "comments", "corrections", "feed", "healthz", "media",
        "preview", "robots", "search", "sitemap", "static", "tag",
    }
)  # fmt: skip


def validate_section_slug(value: str) -> None:
    if value.lower() in RESERVED_SECTION_SLUGS:
        raise ValidationError(
            _(
                "“%(slug)s” is an address the site already uses; choose another slug for this section."
            ),
            code="reserved_slug",
            params={"slug": value},
        )


class Section(LoadedFromRows, models.Model):
    name = models.CharField(gettext_lazy("name"), max_length=80, unique=True)
    slug = models.SlugField(
        gettext_lazy("slug"),
        max_length=80,
        unique=True,
        allow_unicode=True,
        validators=[validate_section_slug],
    )
    description = models.TextField(
        gettext_lazy("description"),
        blank=True,
        help_text=gettext_lazy("Shown on the section page."),
    )
    position = models.PositiveSmallIntegerField(
        gettext_lazy("position"),
        default=0,
        help_text=gettext_lazy("Order in the site navigation, lowest first."),
    )
    top_story = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=gettext_lazy(
            "Shown first on the section page, while it is public; empty: the newest stories only."
        ),
        verbose_name=gettext_lazy("top story"),
    )

    class Meta:
        verbose_name = gettext_lazy("section")
        verbose_name_plural = gettext_lazy("sections")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return path_of("articles:section", slug=self.slug)
