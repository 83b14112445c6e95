"""Django's makemessages with the project's defaults, so `make catalogs`, a translator and the
suite's completeness check (tests/test_translations.py) all extract the same strings: the apps,
templates/ and newsroom/, never the tests, deploy/ or var/; locations by file only, so a catalog
does not change when a line moves; strings no longer used are dropped, not kept as obsolete.

The reader pages' templates (templates/reader/, the Jinja2 backend's directory) are Jinja2, whose
`{% trans %}…{% endtrans %}` Django's template scanner does not understand: their strings are read
by Jinja's own extractor, the one that parses them as the site renders them, so each msgid is the
one the page looks up. Those are Django's for the same strings in {% translate %} and
{% blocktranslate %} but for a "%" outside a placeholder: Jinja looks it up as written in a string
without values ("100% sure") and doubled in one with values ("%(n)s%% off"), Django's templates
always double it."""

import os
from collections import defaultdict
from io import BytesIO
from pathlib import Path

from django.core.management.commands import makemessages
from jinja2.ext import babel_extract

IGNORED = ["tests", "var", "deploy", "docs", "node_modules"]
# Sitemaps are templates too (.xml): Django's default looks only at .html, .txt and .py.
EXTENSIONS = ["html", "txt", "py", "xml"]
JINJA_TEMPLATES = ("templates", "reader")
# The gettext functions a Jinja template calls ({% trans %} blocks become these too), and how
# many of their arguments are strings: the context first for the p-forms, then the message and
# the plural.
STRINGS = {"_": 1, "gettext": 1, "ngettext": 2, "pgettext": 2, "npgettext": 3}


def python_string(text: str) -> str:
    """A literal xgettext reads back as `text`: only the backslash, the quote and line ends are
    escaped (xgettext reads a \\uXXXX escape, which repr() writes for some characters, as is)."""
    for character, escaped in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r")):
        text = text.replace(character, escaped)
    return f'"{text}"'


def python_call(function: str, strings: tuple[str, ...]) -> str:
    """The call xgettext extracts these strings from: the count of a plural is any number."""
    function = "gettext" if function == "_" else function
    arguments = [python_string(string) for string in strings]
    if function in ("ngettext", "npgettext"):
        arguments.append("1")
    return f"{function}({', '.join(arguments)})"


def jinja_messages_as_python(source: bytes) -> str:
    """The template's messages as the Python calls xgettext extracts, each on its template line
    (so `--add-location=full` points at the template's), with its `{# Translators: … #}` comment
    on the line before. A template Jinja cannot parse is an error, not a template without
    strings (Jinja's extractor would skip it silently)."""
    calls, notes = defaultdict(list), {}
    found = babel_extract(BytesIO(source), list(STRINGS), ["Translators:"], {"silent": "false"})
    for lineno, function, message, comments in found:
        strings = (message,) if isinstance(message, str) or message is None else message
        strings = strings[: STRINGS[function]]
        # A variable in place of a string (`_(label)`) has nothing to extract.
        if len(strings) < STRINGS[function] or not all(strings):
            continue
        calls[lineno].append(python_call(function, strings))
        if comments:
            notes[lineno] = "Translators: " + " | ".join(comments)
    if 1 in notes:
        # A comment needs a line before its string's: the first line's strings join the second.
        calls[2][:0] = calls.pop(1)
        notes.setdefault(2, notes.pop(1))
    lines = [" ".join(calls.get(lineno, [])) for lineno in range(1, max(calls, default=0) + 1)]
    for lineno, note in notes.items():
        # A Python comment ends its line: it goes after the calls of the line before.
        lines[lineno - 2] += f"  # {note}"
    return "\n".join(lines) + "\n"


class BuildFile(makemessages.BuildFile):
    def preprocess(self):
        path = Path(os.path.normpath(self.path))
        if self.is_templatized and path.parts[: len(JINJA_TEMPLATES)] == JINJA_TEMPLATES:
            Path(self.work_path).write_text(
                jinja_messages_as_python(path.read_bytes()), encoding="utf-8"
            )
        else:
            super().preprocess()


class Command(makemessages.Command):
    build_file_class = BuildFile

    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options["ignore_patterns"], *IGNORED]
        options["add_location"] = options["add_location"] or "file"
        options["no_obsolete"] = True
        if options["domain"] == "django":
            options["extensions"] = options["extensions"] or EXTENSIONS
        return super().handle(*args, **options)
