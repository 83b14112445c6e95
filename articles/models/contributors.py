"""Structured contributor credits: people and organisations with a role, in a fixed order."""

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .stories import Article


class Contributor(models.Model):
    class Role(models.TextChoices):
        # The order here is the order of the credit line under the story.
        CONTRIBUTED = "contributed", _("contributed to this report")
        ADDITIONAL_REPORTING = "additional", _("additional reporting by")
        TRANSLATED = "translated", _("translated by")
        PHOTOGRAPHS = "photographs", _("photographs by")

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANIZATION = "organization", _("Organisation")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="contributors", verbose_name=_("article")
    )
    name = models.CharField(
        _("name"), max_length=120, help_text=_("A person or an organisation, such as Ynet.")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PERSON)
    role = models.CharField(
        _("role"), max_length=12, choices=Role.choices, default=Role.CONTRIBUTED
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")
        app_label = "articles"
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.name}, {self.get_role_display()}"


def join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def credit_lines(contributors) -> list[str]:
    """One sentence per role, roles in their fixed order: "Ynet contributed to this report.",
    "Additional reporting by Dana Levi and Omer Adam."."""
    lines = []
    for role in Contributor.Role:
        names = [c.name for c in contributors if c.role == role]
        if not names:
            continue
        if role == Contributor.Role.CONTRIBUTED:
            lines.append(f"{join_names(names)} contributed to this report.")
        else:
            lines.append(f"{capfirst(role.label)} {join_names(names)}.")
    return lines
