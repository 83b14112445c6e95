"""No reader template shows words outside the translation machinery: text between tags and the
text of labels (aria-label, title, placeholder, alt) is in {% translate %} or
{% blocktranslate %} (Django templates) or in {% trans %}…{% endtrans %} or a gettext call such as
{{ _("…") }} (the reader pages' Jinja2 templates, templates/reader/), so a string added in
English alone fails here, not in front of readers of the Hebrew or Arabic edition."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# What readers see: every template outside the back office's (admin/, registration/) and the
# machines' (sitemaps, feeds' content, plain-text emails to staff).
READER = [
    path
    for path in TEMPLATES.rglob("*.html")
    if path.relative_to(TEMPLATES).parts[0] not in {"admin", "registration"}
]
# Words that are the same in every edition.
SAME_IN_EVERY_LANGUAGE = {"RSS", "©"}

# Django's tags, then Jinja's: a {% trans %} block (with values, {% pluralize %}, whitespace
# control) and a {{ }} that calls a gettext function (`_` being gettext).
TRANSLATED = re.compile(
    r"{%\s*blocktranslate\b.*?{%\s*endblocktranslate\s*%}|{%\s*translate\b.*?%}"
    r"|{%[-+]?\s*trans\b.*?{%[-+]?\s*endtrans\s*[-+]?%}"
    r"|{{[-+]?\s*(?:_|gettext|ngettext|pgettext|npgettext)\(.*?}}",
    re.S,
)
# {# #} in both; {% comment %} in Django's.
COMMENT = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)
TAG_OR_VARIABLE = re.compile(r"{%.*?%}|{{.*?}}", re.S)
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.S)
LABEL = re.compile(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"')


def untranslated(source: str) -> list[str]:
    source = COMMENT.sub("", source)
    source = TRANSLATED.sub("", source)
    source = SCRIPT_OR_STYLE.sub("", source)
    found = []
    labels = LABEL.findall(source)
    source = TAG_OR_VARIABLE.sub("", source)
    texts = re.findall(r">([^<>]+)<", source) + [TAG_OR_VARIABLE.sub("", label) for label in labels]
    for text in texts:
        words = [
            word for word in re.findall(r"[^\W\d_]{2,}", text) if word not in SAME_IN_EVERY_LANGUAGE
        ]
        if words:
            found.append(text.strip())
    return found


def test_reader_templates_have_no_words_outside_translate_tags():
    assert len(READER) > 40
    found = {
        str(path.relative_to(TEMPLATES)): words
        for path in READER
        if (words := untranslated(path.read_text()))
    }
    assert not found, f"words not in {{% translate %}}: {found}"


def test_reader_templates_make_no_english_plurals():
    """|pluralize adds an English "s": a count in words goes through {% blocktranslate count %}."""
    assert not [str(path) for path in READER if "|pluralize" in path.read_text()]


def test_the_check_finds_an_untranslated_text_node_and_label():
    assert untranslated('<p class="x">Read more</p>') == ["Read more"]
    assert untranslated('<nav aria-label="Footer">') == ["Footer"]
    assert (
        untranslated(
            '<p>{% translate "Read more" %}</p><nav aria-label="{% translate "Footer" %}">'
        )
        == []
    )
    assert untranslated("<p>{{ story.headline }} · {% now 'Y' %} RSS</p>") == []


def test_the_check_reads_the_jinja_templates_translation_syntax():
    translated = """{# the reader pages' syntax #}
<a href="#main">{%- trans -%} Skip to main content {%- endtrans %}</a>
<p>{% trans site_name=site_name %}The latest news from {{ site_name }}.{% endtrans %}</p>
<h2>{% trans counter=n %}Correction{% pluralize %}Corrections{% endtrans %}</h2>
<input placeholder="{{ _("Search stories") }}" aria-label="{{ pgettext("search", "Search") }}">
<span title="{{ gettext("Menu") }}">{{ ngettext("%(n)d reply", "%(n)d replies", n)|format(n=n) }}</span>
"""
    assert untranslated(translated) == []
    assert untranslated("<p>{% trans %}Read more{% endtrans %} Latest news</p>") == ["Latest news"]
    assert untranslated("{% trans %}A{% endtrans %}<b>Between</b>{% trans %}B{% endtrans %}") == [
        "Between"
    ]
    assert untranslated('<a title="{{ _("Home") }} page">') == ["page"]
