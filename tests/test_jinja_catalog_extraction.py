"""The reader pages' Jinja2 templates (templates/reader/) give the catalog the msgids they look up:
the project's makemessages, run on a copy of the repository holding a Jinja template with each
way of marking a string, extracts exactly what rendering that template asks gettext for."""

import os
import subprocess
import sys

import pytest
from jinja2 import Environment, TemplateSyntaxError

from newsroom.management.commands.makemessages import jinja_messages_as_python
from tests.test_translations import catalog, fresh_copy

SAMPLE = """\
{# Translators: the link that jumps over the menu to the story #}
<a href="#main">{% trans %}Skip to main content{% endtrans %}</a>
<p>{% trans site_name=site_name %}The latest news from {{ site_name }}.{% endtrans %}</p>
<h2>{% trans counter=corrections|length %}Correction{% pluralize %}Corrections{% endtrans %}</h2>
<input placeholder="{{ _("Search stories") }}"><span>{{ gettext("Menu") }}</span>
<p>{{ ngettext("%(num)d comment", "%(num)d comments", count)|format(num=count) }}</p>
<p>{{ pgettext("month name", "May") }}</p>
<p>{{ npgettext("shares", "%(num)d share", "%(num)d shares", count)|format(num=count) }}</p>
<p>{% trans %}100% independent{% endtrans %} {% trans n=count %}{{ n }}% read it{% endtrans %}</p>
<p>{{ _('The "Café" column') }} {{ _(label) }}</p>
{% trans trimmed %}
  A sentence on
  two lines.
{% endtrans %}
"""
SITEMAP = '<urlset><news:name>{{ _("The Newsroom") }}</news:name></urlset>\n'
# (context, msgid or (msgid, msgid_plural)): what Django's makemessages extracts from the same
# strings in {% translate %} / {% blocktranslate %}, but for a "%" outside a placeholder, which
# Jinja looks up as written where Django's templates double it.
EXPECTED = {
    (None, "Skip to main content"),
    (None, "The latest news from %(site_name)s."),
    (None, ("Correction", "Corrections")),
    (None, "Search stories"),
    (None, "Menu"),
    (None, ("%(num)d comment", "%(num)d comments")),
    ("month name", "May"),
    ("shares", ("%(num)d share", "%(num)d shares")),
    (None, "100% independent"),
    (None, "%(n)s%% read it"),
    (None, 'The "Café" column'),
    (None, "A sentence on two lines."),
}


def looked_up(source: str) -> set:
    """The msgids a render of the template asks for: Jinja's i18n extension with old-style
    gettext callables, as the Jinja2 backend installs Django's."""
    asked = set()

    def gettext(message):
        asked.add((None, message))
        return message

    def ngettext(singular, plural, n):
        asked.add((None, (singular, plural)))
        return singular if n == 1 else plural

    def pgettext(context, message):
        asked.add((context, message))
        return message

    def npgettext(context, singular, plural, n):
        asked.add((context, (singular, plural)))
        return singular if n == 1 else plural

    environment = Environment(extensions=["jinja2.ext.i18n"])
    environment.install_gettext_callables(gettext, ngettext, pgettext=pgettext, npgettext=npgettext)
    context = {"site_name": "Daily", "corrections": [1, 2], "count": 3, "label": "a variable"}
    environment.from_string(source).render(context)
    return asked - {(None, "a variable")}


def test_the_sample_asks_for_what_the_catalog_must_hold():
    assert looked_up(SAMPLE) == EXPECTED


def test_makemessages_extracts_a_jinja_templates_msgids_as_it_looks_them_up(tmp_path):
    copy = fresh_copy(tmp_path)
    (copy / "templates" / "reader" / "articles").mkdir(parents=True, exist_ok=True)
    (copy / "templates" / "reader" / "articles" / "sample.html").write_text(SAMPLE)
    (copy / "templates" / "reader" / "articles" / "sitemap_sample.xml").write_text(SITEMAP)
    made = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "he"],
        cwd=copy,
        env={**os.environ, "DJANGO_DEBUG": "1"},
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    cat = catalog(copy, "he")
    from_sample = {
        (message.context, message.id)
        for message in cat
        if ("templates/reader/articles/sample.html", None) in message.locations
    }
    assert from_sample == EXPECTED
    from_sitemap = [
        message.id
        for message in cat
        if ("templates/reader/articles/sitemap_sample.xml", None) in message.locations
    ]
    assert from_sitemap == ["The Newsroom"]
    by_id = {message.id: message for message in cat}
    assert by_id["Skip to main content"].auto_comments == [
        "Translators: the link that jumps over the menu to the story"
    ]
    # The same msgids as the Django templates': their translations match the Jinja template's.
    assert by_id["Skip to main content"].string == "דילוג לתוכן הראשי"
    assert by_id["The latest news from %(site_name)s."].string
    assert by_id["Latest news"].string == "חדשות אחרונות"


def test_a_jinja_template_that_does_not_parse_stops_the_extraction():
    with pytest.raises(TemplateSyntaxError):
        jinja_messages_as_python(b"{% trans %}Unclosed")
