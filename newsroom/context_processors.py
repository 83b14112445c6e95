from django.conf import settings
from django.utils.translation import gettext

from articles.public import languages


def site(request):
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_description": gettext("The latest news from %(site_name)s.")
        % {"site_name": settings.NEWSROOM_SITE_NAME},
        # The edition's language as OpenGraph and Google News name it (articles/public/languages.py).
        "og_locale": languages.og_locale(),
        "news_language": languages.news_language(),
    }
