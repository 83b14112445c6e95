"""What editors put on every reader page: the breaking-news banner and the policy pages the
footer and the organisation's structured data link to. Saving either purges every page
(articles/public/invalidation.py)."""

from datetime import timedelta

from django.contrib import admin
from django.db import models
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy

from articles.models import BreakingBanner, PolicyPage

from .desk import site_time
from .story_forms import LabelledSplitDateTime


@admin.register(BreakingBanner)
class BreakingBannerAdmin(admin.ModelAdmin):
    list_display = ["text", "story", "expires_at", "shown_now"]
    list_select_related = ["story"]
    autocomplete_fields = ["story"]
    fields = ["text", "story", "expires_at"]
    formfield_overrides = {models.DateTimeField: {"widget": LabelledSplitDateTime}}
    search_fields = ["text"]

    def get_queryset(self, request):
        # Which banner readers see, asked once for the whole list.
        shown = Subquery(BreakingBanner.objects.live().values("pk")[:1])
        return super().get_queryset(request).annotate(shown_pk=shown)

    @admin.display(description=gettext_lazy("On reader pages now"))
    def shown_now(self, banner):
        if not banner.is_live:
            return f"No: expired {site_time(banner.expires_at)}"
        return "Yes" if banner.shown_pk == banner.pk else "No: a newer banner shows instead"

    def get_changeform_initial_data(self, request):
        # Breaking news lasts hours, not days: an expiry to start from.
        initial = super().get_changeform_initial_data(request)
        return {"expires_at": timezone.now() + timedelta(hours=2), **initial}


@admin.register(PolicyPage)
class PolicyPageAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "address", "updated_at"]
    fields = ["kind", "title", "body"]

    @admin.display(description=gettext_lazy("Address"))
    def address(self, page):
        return page.get_absolute_url()
