"""The desk's own admin pages: the front page and corrections (photo rights and the agency
credit report hang off the photo admin in photos.py)."""

from django import forms
from django.contrib import admin
from django.urls import path
from django.utils import timezone
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Correction, FrontPageLayout, FrontPageSlot
from articles.models.front_page import place_name

from . import front_page_views


def site_time(value) -> str:
    """A time as the admin shows it, in the site's time zone, with the zone's name."""
    local = timezone.localtime(value)
    return f"{localize(local)} ({local.tzname()})"


@admin.register(FrontPageSlot)
class FrontPageSlotAdmin(admin.ModelAdmin):
    """The front page: the lead (1) and top stories, each placed by an editor."""

    list_display = ["place", "article", "shown_to_readers", "section"]
    list_display_links = ["place", "article"]
    list_select_related = ["article__section"]
    autocomplete_fields = ["article"]
    ordering = ["position"]

    def get_urls(self):
        return [
            path(
                "overview/",
                self.admin_site.admin_view(front_page_views.overview),
                name="articles_frontpageslot_overview",
            ),
            *super().get_urls(),
        ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "position":
            # The places the front page has now (set on the overview).
            places = FrontPageLayout.current().places
            return forms.TypedChoiceField(
                label=gettext_lazy("Place"),
                choices=[(n, place_name(n)) for n in range(1, places + 1)],
                coerce=int,
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=gettext_lazy("Place"), ordering="position")
    def place(self, slot):
        return slot.get_position_display()

    @admin.display(description=gettext_lazy("On the front page now"))
    def shown_to_readers(self, slot):
        if slot.article.is_published:
            return _("Yes")
        if slot.article.is_scheduled:
            return _("Once it goes live (%(when)s)") % {
                "when": site_time(slot.article.published_at)
            }
        return _("No: not public, the newest story shows here instead")

    @admin.display(description=gettext_lazy("Section"))
    def section(self, slot):
        return slot.article.section or "—"


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["article", "text", "published_at"]
    list_select_related = ["article"]
    search_fields = ["text", "article__headline"]
    autocomplete_fields = ["article"]
    date_hierarchy = "published_at"
