"""The story's blocks in the change form: a JSON field whose widget a small script (static/
articles/block_editor.js, no build step) turns into an editor of cards: add a block between any
two, move it up or down, remove it, find photos in the library by typing. Without JavaScript the
JSON itself is edited; either way the model's rules (articles/models/blocks.py) check and
sanitise what is saved, and their messages name the block and field."""

import json

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django_prose_editor.widgets import AdminProseEditorWidget

from articles.models.blocks import BLOCK_TYPES, PHOTO_SIZES
from articles.models.embeds import KNOWN
from articles.models.richtext import BODY_EXTENSIONS

# Text and fact box blocks are written in the rich-text editor the body had (ProseMirror, with
# the same extensions, so what it makes is what sanitising keeps): the script makes one per block.
TEXT_EDITOR = AdminProseEditorWidget(config={"extensions": BODY_EXTENSIONS}, preset="configurable")


class BlocksWidget(forms.Textarea):
    @property
    def media(self):
        return TEXT_EDITOR.media + forms.Media(js=["articles/block_editor.js"])

    def __init__(self, attrs=None):
        super().__init__({"rows": 16, "class": "vLargeTextField blocks-json", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, str):
            return value  # as posted, kept when the form comes back with errors
        return json.dumps(value or [], ensure_ascii=False, indent=1)

    def render(self, name, value, attrs=None, renderer=None):
        # The textarea as Django draws it, inside our wrapper (a project template, which the
        # forms renderer does not look in).
        textarea = super().render(name, value, attrs, renderer)
        return render_to_string(
            "admin/articles/widgets/blocks.html",
            {
                "textarea": textarea,
                "id": (attrs or {}).get("id") or self.attrs.get("id", ""),
                "types": list(BLOCK_TYPES),
                "sizes": list(PHOTO_SIZES),
                "search_url": reverse("admin:autocomplete"),
                "add_photo_url": reverse("admin:articles_photo_add"),
                "text_editor": json.dumps(TEXT_EDITOR.get_config(), separators=(",", ":")),
            },
        )


class BlocksField(forms.JSONField):
    widget = BlocksWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        # The model field's callable default would add a hidden copy of the initial value, and
        # Django gives that copy the help text's aria-describedby, which HTML forbids on a
        # hidden input; changes are told from the story as stored without it.
        kwargs["show_hidden_initial"] = False
        kwargs.setdefault(
            "help_text",
            "The story in reading order. Photos come from the library; their credit always "
            f"comes from the photo. Embeds: {KNOWN}.",
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(value) or []
