"""The catalogs: every string the code and templates mark is translated in Hebrew and Arabic, with
as many plural forms as the language has; and they compile, from the project's own commands, on
a fresh copy of the repository."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("he", "ar")
PLURALS = {"he": 4, "ar": 6}  # Django's own catalogs' Plural-Forms for each, kept the same
# django: templates and Python; djangojs: the back office's scripts (served by admin:jsi18n).
DOMAINS = ("django", "djangojs")
CATALOGS = [(language, domain) for language in LANGUAGES for domain in DOMAINS]


def catalog(root: Path, language: str, domain: str = "django"):
    with open(root / "locale" / language / "LC_MESSAGES" / f"{domain}.po", "rb") as po:
        return read_po(po, locale=language)


def fresh_copy(tmp_path: Path) -> Path:
    """The repository's files as a clone has them (the working copy of each tracked file)."""
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    copy = tmp_path / "clone"
    for name in filter(None, files):
        source = ROOT / os.fsdecode(name)
        if source.is_file():
            target = copy / os.fsdecode(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return copy


def untranslated(cat) -> list[str]:
    missing = []
    for message in cat:
        if not message.id:
            continue
        strings = message.string if isinstance(message.id, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(repr(message.id))
        elif isinstance(message.id, tuple) and len(strings) != cat.num_plurals:
            missing.append(f"{message.id!r}: {len(strings)} plural forms")
    return missing


@pytest.mark.parametrize(("language", "domain"), CATALOGS)
def test_every_marked_string_is_translated_with_every_plural_form(tmp_path, language, domain):
    """makemessages over today's code and templates (in a copy, so the repository's catalogs are
    left alone): a string marked since the catalog was last updated comes in untranslated and
    fails here, as does one whose English changed (makemessages marks it fuzzy)."""
    copy = fresh_copy(tmp_path)
    made = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-d", domain, "-l", language],
        cwd=copy,
        env={**os.environ, "DJANGO_DEBUG": "1"},
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    cat = catalog(copy, language, domain)
    assert cat.num_plurals == PLURALS[language]
    assert len(cat) > {"django": 400, "djangojs": 30}[domain]
    missing = untranslated(cat)
    assert not missing, (
        f"untranslated in locale/{language}/LC_MESSAGES/{domain}.po (make catalogs, then "
        "translate): " + ", ".join(missing)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_fresh_clone_compiles_the_catalogs_with_make_messages(tmp_path, language):
    copy = fresh_copy(tmp_path)
    assert not list(copy.glob("locale/*/LC_MESSAGES/*.mo")), "compiled catalogs are not committed"
    # The suite's own virtualenv stands in for the one `make` would create: installed already.
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "pybabel").symlink_to(ROOT / ".venv" / "bin" / "pybabel")
    (venv / ".installed").touch()
    subprocess.run(["make", "-s", "messages", f"VENV={venv}"], cwd=copy, check=True, timeout=120)
    with open(copy / "locale" / language / "LC_MESSAGES" / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    expected = {"he": "חדשות אחרונות", "ar": "آخر الأخبار"}[language]
    assert compiled.gettext("Latest news") == expected
    assert compiled.ngettext("%(count)d min ago", "%(count)d min ago", 25) % {"count": 25} in (
        "לפני 25 דקות",
        "منذ 25 دقيقة",
    )


@pytest.mark.parametrize(("language", "domain"), CATALOGS)
def test_the_compiled_catalog_in_place_says_what_its_po_says(language, domain):
    """What the rest of the suite and a running site read: stale after a .po edit until
    `make messages` (which make run, make test and make e2e call) compiles it again."""
    mo_path = ROOT / "locale" / language / "LC_MESSAGES" / f"{domain}.mo"
    assert mo_path.exists(), "run make messages"
    with open(mo_path, "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for message in catalog(ROOT, language, domain):
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            forms = [compiled.ngettext(*message.id, n) for n in range(120)]
            if not set(forms) <= set(message.string):
                stale.append(repr(message.id))
        elif message.context:
            if compiled.pgettext(message.context, message.id) != message.string:
                stale.append(repr(message.id))
        elif compiled.gettext(message.id) != message.string:
            stale.append(repr(message.id))
    assert not stale, "the .mo is older than the .po (run make messages): " + ", ".join(stale)


@pytest.mark.parametrize(("language", "domain"), CATALOGS)
def test_translations_keep_the_markup_and_add_no_straight_double_quote(language, domain):
    """Template strings are trusted, so not escaped: each translation has exactly the tags of its
    English (a link's address, a <time>'s datetime), and no " of its own, which would end the
    HTML attribute a string is shown in (a page's meta description): “ ” or « » instead."""
    broken = []
    for message in catalog(ROOT, language, domain):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        tags = sorted(re.findall(r"<[^>]*>", ids[-1]))
        quotes = max(i.count('"') for i in ids)
        for string in strings:
            if string.count('"') > quotes or (
                tags and sorted(re.findall(r"<[^>]*>", string)) != tags
            ):
                broken.append(f"{message.id!r}: {string!r}")
    assert not broken, broken


def test_an_edition_without_a_compiled_catalog_is_a_warning_at_start(settings):
    from django.core.checks import run_checks

    def warnings():
        return [message.id for message in run_checks() if message.id == "newsroom.W003"]

    assert warnings() == []  # English: the templates' own language
    settings.LANGUAGE_CODE = "he"
    assert warnings() == []
    settings.LANGUAGE_CODE = "fr"  # a language Django knows, with no catalog of ours
    assert warnings() == ["newsroom.W003"]
