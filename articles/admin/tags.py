"""Tags in the admin: the guarded tag list, and the story form's tag field (pick existing ones by
autocomplete, or type a new one and press Enter)."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied
from django.utils.text import capfirst
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from .guards import PublicationGuard

NEW_TAG_PREFIX = "new:"


class TagAutocompleteWidget(AutocompleteSelectMultiple):
    """select2 in "tags" mode, with the rules of static/articles/admin/tag_autocomplete.js."""

    @property
    def media(self):
        # Listed after select2 and jquery.init.js in one list, so the merged page media keeps
        # that order: the rules must be set after select2 loads and before it starts.
        base = super().media
        return forms.Media(css=base._css, js=[*base._js, "articles/admin/tag_autocomplete.js"])


class TagAutocompleteField(forms.ModelMultipleChoiceField):
    """Existing tags arrive as ids, typed ones as "new:<name>" (bare names are accepted too)."""

    def __init__(self, model_field, **kwargs):
        widget = TagAutocompleteWidget(
            model_field, admin.site, attrs={"data-tags": "true", "data-token-separators": '[","]'}
        )
        kwargs.setdefault("label", capfirst(model_field.verbose_name))
        super().__init__(queryset=Tag.objects.all(), widget=widget, required=False, **kwargs)

    def clean(self, value):
        values = [str(item).strip() for item in (value or []) if str(item).strip()]
        ids = [int(item) for item in values if item.isdigit()]
        found = {str(tag.pk): tag for tag in Tag.objects.filter(pk__in=ids)}
        tags = []
        for item in values:
            if item.startswith(NEW_TAG_PREFIX):
                tags.append(self.existing_or_new(item.removeprefix(NEW_TAG_PREFIX).strip()))
            else:
                # A value that is not an existing tag's id is the name of a tag.
                tags.append(found.get(item) or self.existing_or_new(item))
        return [tag for tag in tags if tag]

    @staticmethod
    def existing_or_new(name: str):
        """The tag of that name whatever its case ("hostage deal" is "Hostage Deal"), else the
        name, which taggit creates on save."""
        return Tag.objects.filter(name__iexact=name).first() or name

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return [tag.pk if isinstance(tag, Tag) else tag for tag in value]
        return super().prepare_value(value)


# taggit registers a tag admin of its own; this one replaces it, guarded.
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(PublicationGuard, TaggitTagAdmin):
    """taggit's tag admin, guarded; merging tags rewrites stories, so it needs change and delete."""

    public_lookup = "tags"

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.may_merge(request):
            actions.pop("render_tag_form", None)
        return actions

    def may_merge(self, request) -> bool:
        return self.has_change_permission(request) and self.has_delete_permission(request)

    def merge_tags_view(self, request):
        if not self.may_merge(request):
            raise PermissionDenied
        ids = [i for i in request.session.get("selected_tag_ids", "").split(",") if i.isdigit()]
        if not ids:
            raise PermissionDenied("Choose the tags to merge from the tag list first.")
        if self.is_guarded(request, Tag.objects.filter(pk__in=ids)):
            raise PermissionDenied
        return super().merge_tags_view(request)
