"""The edition's language (NEWSROOM_LANGUAGE): a system check that its catalog is compiled, so a
Hebrew or Arabic site whose .mo was never built says so at start instead of showing English; and
a middleware that makes it, with the site's time zone, the active ones while a request is
answered."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Warning, register
from django.utils import timezone, translation

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


def active_locale_middleware(get_response):
    """Answers each request with the language and time zone in force activated (the edition's
    and the site's, unless a caller made others active); afterwards the same ones are in force
    (Django's own `override`s: the zone as it was, the language active if it was only the
    default). Django answers "which language, which zone" quickly for an active one; with none
    active, each of the hundreds of questions a page asks (every translated word, date and story
    card) first fails to find one, which costs several times more. What a page says does not
    change."""

    def middleware(request):
        with (
            translation.override(translation.get_language()),
            timezone.override(timezone.get_current_timezone()),
        ):
            return get_response(request)

    return middleware
