from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .loading import LoadedFromRows
from .paths import path_of


class Author(LoadedFromRows, models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    bio = models.TextField(_("bio"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text=_("The staff account of this author, if they have one."),
        verbose_name=_("user"),
    )

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return path_of("articles:author", slug=self.slug)
