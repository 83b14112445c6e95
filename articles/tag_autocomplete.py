"""Tags in the admin: pick existing ones by autocomplete, or type a new one and press Enter."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from taggit.models import Tag


class TagAutocompleteField(forms.ModelMultipleChoiceField):
    """Existing tags arrive as ids, new ones as their names (select2's "tags" mode)."""

    def __init__(self, model_field, **kwargs):
        widget = AutocompleteSelectMultiple(
            model_field, admin.site, attrs={"data-tags": "true", "data-token-separators": '[","]'}
        )
        super().__init__(queryset=Tag.objects.all(), widget=widget, required=False, **kwargs)

    def clean(self, value):
        values = [str(item).strip() for item in (value or []) if str(item).strip()]
        ids = [int(item) for item in values if item.isdigit()]
        found = {str(tag.pk): tag for tag in Tag.objects.filter(pk__in=ids)}
        # A value that is not an existing tag's id is the name of a new tag.
        return [found.get(item, item) for item in values]

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return [tag.pk if isinstance(tag, Tag) else tag for tag in value]
        return super().prepare_value(value)
