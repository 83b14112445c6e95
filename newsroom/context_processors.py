from django.conf import settings
from django.utils.translation import get_language, gettext, to_locale

# OpenGraph wants language_TERRITORY; a bare "en" has always been announced as en_US.
OG_LOCALES = {"en": "en_US"}


def site(request):
    language = get_language() or settings.LANGUAGE_CODE
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_description": gettext("The latest news from %(site_name)s.")
        % {"site_name": settings.NEWSROOM_SITE_NAME},
        "og_locale": OG_LOCALES.get(language, to_locale(language)),
    }
