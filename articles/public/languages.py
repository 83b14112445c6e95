"""The edition's language (NEWSROOM_LANGUAGE) as machines that read our pages spell it: RSS
`<language>` and the API's ninjs `language`, the Google News sitemap's `<news:language>`,
schema.org `inLanguage`, OpenGraph `og:locale`."""

from django.conf import settings
from django.utils.translation import to_locale

# Facebook's locales are language_TERRITORY from its own list: Hebrew is he_IL, and Arabic, which
# no one country speaks for, is ar_AR there. English stays what the site always said, en_US.
OPENGRAPH_LOCALES = {"en": "en_US", "he": "he_IL", "ar": "ar_AR"}


def code() -> str:
    """The language as a BCP 47 tag, lowercase: `en`, `he`, `ar`, `pt-br`."""
    return settings.NEWSROOM_LANGUAGE.lower().replace("_", "-")


def schema_language() -> str:
    """schema.org `inLanguage`: a BCP 47 tag."""
    return code()


def content_language() -> str:
    """RSS 2.0 `<language>` and ninjs `language`: an English edition keeps the `en-us` its feeds
    and API always carried (Django's LANGUAGE_CODE before NEWSROOM_LANGUAGE)."""
    return "en-us" if code() == "en" else code()


def news_language() -> str:
    """Google News: an ISO 639 code, with zh-cn and zh-tw the only ones with a territory."""
    return code() if code() in ("zh-cn", "zh-tw") else code().split("-")[0]


def og_locale() -> str:
    return OPENGRAPH_LOCALES.get(code()) or to_locale(code())
