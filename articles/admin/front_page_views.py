"""The front page overview: every place as readers see it now (chosen stories, and the newest
stories filling the rest by the home page's own rule), where editors set the number of places
and rearrange the chosen stories in one form. Plain form fields: no script is needed, and the
keyboard reaches everything. Routed by FrontPageSlotAdmin.get_urls, behind admin_view."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles.models import FrontPageLayout, FrontPageSlot
from articles.models.front_page import MAX_PLACES, place_name
from articles.public import front_page


class LayoutForm(forms.ModelForm):
    class Meta:
        model = FrontPageLayout
        fields = ["places"]


class SlotForm(forms.ModelForm):
    position = forms.IntegerField(label=gettext_lazy("Place"), min_value=1, max_value=MAX_PLACES)

    class Meta:
        model = FrontPageSlot
        fields = ["position"]

    def validate_unique(self):
        # Stories trade places in one save: uniqueness is checked across the form
        # (SlotFormSet.clean), not against places as stored before the save.
        pass


class SlotFormSet(forms.BaseModelFormSet):
    places = None  # the number of places posted with the formset

    def clean(self):
        # Before the model formset's own uniqueness check, to name the stories that clash.
        taken = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            position, story = form.cleaned_data.get("position"), form.instance.article
            if position is None:
                continue
            if position in taken:
                raise forms.ValidationError(
                    _(
                        "“%(first)s” and “%(second)s” are both in place %(place)d: "
                        "give each story a place of its own."
                    )
                    % {"first": taken[position], "second": story, "place": position}
                )
            taken[position] = story
            if self.places is not None and position > self.places:
                raise forms.ValidationError(
                    ngettext(
                        "“%(story)s” is in place %(place)d, but the front page has %(places)d "
                        "place: move it up, take it off, or add places.",
                        "“%(story)s” is in place %(place)d, but the front page has %(places)d "
                        "places: move it up, take it off, or add places.",
                        self.places,
                    )
                    % {"story": story, "place": position, "places": self.places}
                )
        super().clean()

    def save_places(self) -> None:
        """Stories taken off go; moved ones take their new places in two steps, each a save
        (the front page's purge goes out with each), so no two share a place midway."""
        moving = []
        for form in self.forms:
            if form.cleaned_data.get("DELETE"):
                form.instance.delete()
            elif "position" in form.changed_data:
                moving.append((form.instance, form.cleaned_data["position"]))
        for n, (slot, _position) in enumerate(moving):
            slot.position = MAX_PLACES + 1 + n  # out of the way
            slot.save(update_fields=["position"])
        for slot, position in moving:
            slot.position = position
            slot.save(update_fields=["position"])


Slots = forms.modelformset_factory(
    FrontPageSlot, form=SlotForm, formset=SlotFormSet, extra=0, can_delete=True
)


def overview(request):
    model_admin = admin.site.get_model_admin(FrontPageSlot)
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    may_change = model_admin.has_change_permission(request) and model_admin.has_delete_permission(
        request
    )
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    layout = FrontPageLayout.current()
    slots = FrontPageSlot.objects.select_related("article__section")
    data = request.POST if request.method == "POST" else None
    layout_form = LayoutForm(data, instance=layout, prefix="layout")
    formset = Slots(data, queryset=slots, prefix="slots")
    if data is not None:
        if layout_form.is_valid():
            formset.places = layout_form.cleaned_data["places"]
        if layout_form.is_valid() and formset.is_valid():
            with transaction.atomic():
                layout_form.save()
                formset.save_places()
            messages.success(request, _("The front page is saved."))
            return redirect("admin:articles_frontpageslot_overview")
    for form in formset.forms:
        headline = form.instance.article.headline
        form.fields["position"].widget.attrs["aria-label"] = _("Place of “%(headline)s”") % {
            "headline": headline
        }
        form.fields["DELETE"].widget.attrs["aria-label"] = _("Take “%(headline)s” off") % {
            "headline": headline
        }
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": FrontPageSlot._meta,
        "title": _("The front page"),
        "layout_form": layout_form,
        "formset": formset,
        "rows": rows(formset),
        "may_change": may_change,
    }
    return TemplateResponse(request, "admin/articles/frontpageslot/overview.html", context)


def rows(formset) -> list[dict]:
    """Each place as readers see it now, with the chosen slot there (if any) and its form;
    slots beyond the last place (after the front page shrank) at the end."""
    forms_by_position = {form.initial["position"]: form for form in formset.forms}
    result = []
    for place in front_page.overview()[1]:
        form = forms_by_position.pop(place["position"], None)
        result.append({**place, "name": place_name(place["position"]), "form": form})
    for position, form in sorted(forms_by_position.items()):
        result.append(
            {"position": position, "name": _("Place %(number)d (beyond the front page)") % {"number": position},
             "story": None, "chosen": False, "form": form}
        )  # fmt: skip
    return result
