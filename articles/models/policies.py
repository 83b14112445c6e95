"""The newsroom's standards, written by editors and linked from every page's footer and from the
organisation's structured data (publishingPrinciples, correctionsPolicy, ethicsPolicy)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField

from .paths import path_of
from .richtext import BODY_EXTENSIONS, sanitize_html


class PolicyPage(models.Model):
    class Kind(models.TextChoices):
        # The value is the page's address under /about/: stable, so links to it last.
        PUBLISHING_PRINCIPLES = "publishing-principles", _("Publishing principles")
        CORRECTIONS_POLICY = "corrections-policy", _("Corrections policy")
        ETHICS_POLICY = "ethics-policy", _("Ethics policy")

    kind = models.CharField(
        _("kind"),
        max_length=30,
        choices=Kind.choices,
        unique=True,
        help_text=_("Which policy this is; it is served at /about/<kind>/."),
    )
    title = models.CharField(_("title"), max_length=120)
    body = ProseEditorField(
        _("body"), config={"extensions": BODY_EXTENSIONS}, sanitize=sanitize_html
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name_plural = _("policy pages")
        ordering = ["kind"]
        verbose_name = _("policy page")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)  # every path in, as for stories
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return path_of("articles:policy", kind=self.kind)
