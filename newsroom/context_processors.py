from django.conf import settings
from django.utils.translation import get_language, to_locale


def site(request):
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_description": f"The latest news from {settings.NEWSROOM_SITE_NAME}.",
        # OpenGraph wants language_TERRITORY: en_US.
        "og_locale": to_locale(get_language() or settings.LANGUAGE_CODE),
    }
