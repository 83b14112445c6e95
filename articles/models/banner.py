"""The breaking-news banner: one line across the top of every reader page until it expires."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .stories import Article

# A page shows the newest live banner; a few are read so that an older one still running shows
# once a newer one expires, without asking the database again.
LIVE_BANNERS_READ = 5


class BreakingBannerQuerySet(models.QuerySet):
    def live(self):
        return (
            self.filter(expires_at__gt=timezone.now())
            .select_related("story__section")
            .order_by("-created_at", "-pk")
        )


class BreakingBanner(models.Model):
    text = models.CharField(
        gettext_lazy("text"),
        max_length=160,
        help_text=gettext_lazy("One line, shown on every reader page: “Polls close in …”."),
    )
    story = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=gettext_lazy("The published story the banner links to (optional)."),
        verbose_name=gettext_lazy("story"),
    )
    expires_at = models.DateTimeField(
        gettext_lazy("expires at"),
        help_text=gettext_lazy("The banner disappears from every page at this time."),
    )
    created_at = models.DateTimeField(
        gettext_lazy("created at"), default=timezone.now, editable=False
    )

    objects = BreakingBannerQuerySet.as_manager()

    class Meta:
        verbose_name_plural = gettext_lazy("breaking-news banners")
        ordering = ["-created_at", "-pk"]
        verbose_name = gettext_lazy("breaking-news banner")

    def __str__(self):
        return self.text

    def clean(self):
        errors = {}
        if "\n" in self.text or "\r" in self.text:
            errors["text"] = _("The banner is one line: remove the line breaks.")
        if self.expires_at is not None and self.expires_at <= timezone.now():
            errors["expires_at"] = _("This time has passed: the banner would never show.")
        if self.story is not None and not self.story.is_published:
            errors["story"] = _("Readers cannot open this story yet: link a published story.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_live(self) -> bool:
        return self.expires_at > timezone.now()

    @property
    def link(self) -> str:
        """The story's address while readers can open it; nothing otherwise (never a preview)."""
        if self.story is not None and self.story.is_published:
            return self.story.get_absolute_url()
        return ""
