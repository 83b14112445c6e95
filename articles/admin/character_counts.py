"""Text inputs that count their characters against where the words show: search results and
social cards cut a title or description at about the length in seo.RECOMMENDED_LENGTHS. An
empty search or social field falls back on the headline or subheadline, so those are counted
against the same limits.

The server writes the count as the page is drawn, so it reads without JavaScript;
static/articles/character_counts.js keeps it current as one types.
"""

import json

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy, ngettext

from articles.public.seo import RECOMMENDED_LENGTHS

# The keys are the data-limits' (English, read by the script); the words are the edition's.
SEARCH, SOCIAL = "search results", "social cards"
# Where the words show: the first named says "show", the others not ("…; social cards about 70").
PLACES = {
    SEARCH: (
        gettext_lazy("search results show about %(limit)s"),
        gettext_lazy("search results about %(limit)s"),
    ),
    SOCIAL: (
        gettext_lazy("social cards show about %(limit)s"),
        gettext_lazy("social cards about %(limit)s"),
    ),
}
# Where each field's words show, and about how many characters show there.
LIMITS = {
    "headline": {
        SEARCH: RECOMMENDED_LENGTHS["seo_title"],
        SOCIAL: RECOMMENDED_LENGTHS["social_headline"],
    },
    "subheadline": {SEARCH: RECOMMENDED_LENGTHS["meta_description"]},
    "seo_title": {SEARCH: RECOMMENDED_LENGTHS["seo_title"]},
    "meta_description": {SEARCH: RECOMMENDED_LENGTHS["meta_description"]},
    "social_headline": {SOCIAL: RECOMMENDED_LENGTHS["social_headline"]},
}


def count_text(length: int, limits: dict[str, int]) -> str:
    """`65 characters: search results show about 60 (5 over); social cards about 70.`
    (character_counts.js writes the same words.)"""
    parts = []
    for index, (where, limit) in enumerate(limits.items()):
        part = PLACES[where][min(index, 1)] % {"limit": limit}
        if length > limit:
            part = gettext("%(place)s (%(over)s over)") % {"place": part, "over": length - limit}
        parts.append(part)
    return ngettext(
        "%(length)s character: %(places)s.", "%(length)s characters: %(places)s.", length
    ) % {"length": length, "places": gettext("; ").join(parts)}


class CountedInput(forms.TextInput):
    def __init__(self, limits: dict[str, int], attrs=None):
        super().__init__({"class": "vLargeTextField", **(attrs or {})})
        self.limits = limits

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {})}
        count_id = f"{attrs.get('id', name)}_count"
        attrs["aria-describedby"] = f"{attrs.get('aria-describedby', '')} {count_id}".strip()
        text = self.format_value(value) or ""
        over = any(len(text) > limit for limit in self.limits.values())
        return format_html(
            '{}<p class="help character-count{}" id="{}" data-limits="{}" aria-live="polite">{}</p>',
            super().render(name, value, attrs, renderer),
            " character-count-over" if over else "",
            count_id,
            json.dumps(self.limits),
            count_text(len(text), self.limits),
        )


def counted_widgets() -> dict[str, CountedInput]:
    """The story form's counted inputs, by field name (ArticleForm.Meta.widgets)."""
    return {field: CountedInput(limits) for field, limits in LIMITS.items()}
