from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleRedirect(models.Model):
    """An address a public story used to have, kept so old links answer 301 to the story."""

    old_path = models.CharField(_("old path"), max_length=300, unique=True)
    article = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="old_paths", verbose_name=_("article")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("article redirect")
        verbose_name_plural = _("article redirects")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.old_path} → {self.article}"

    def get_absolute_url(self):
        return self.article.get_absolute_url()
