"""The edition's language (NEWSROOM_LANGUAGE): a system check that its catalog is compiled, so a
Hebrew or Arabic site whose .mo was never built says so at start instead of showing English."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Warning, register

# The language the templates and code are written in: it needs no catalog.
SOURCE_LANGUAGE = "en"


@register()
def check_catalog_compiled(app_configs, **kwargs):
    language = settings.LANGUAGE_CODE.split("-")[0]
    if language == SOURCE_LANGUAGE:
        return []
    for folder in settings.LOCALE_PATHS:
        if (Path(folder) / language / "LC_MESSAGES" / "django.mo").exists():
            return []
    return [
        Warning(
            f"NEWSROOM_LANGUAGE is {settings.LANGUAGE_CODE!r}, but no compiled catalog for it is "
            "in LOCALE_PATHS: pages will be in English.",
            hint="Run `make messages`; to add a language, see docs/translations.md.",
            id="newsroom.W003",
        )
    ]
