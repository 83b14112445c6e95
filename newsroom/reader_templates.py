"""The Jinja2 environment of reader pages (templates/reader/): settings.TEMPLATES puts it before
Django's engine, which keeps the back office, the registration pages and emails.

Reader pages are rendered with Jinja2 because a page rendered from nothing spent most of its
time in Django's template engine (docs/architecture.md, "Templates"). Their HTML is written
exactly as Django's templates wrote it: the same helpers (articles/templatetags/reader_pages.py,
comments/templatetags/reader_pages.py), Django's translations (jinja2.ext.i18n with Django's
gettext; the message ids are the ones {% blocktranslate %} made) and Django's escaping.
"""

from html import escape as escape_html

import jinja2
from django.templatetags.static import static
from django.utils import html, timezone
from django.utils.safestring import SafeString
from django.utils.translation import (
    get_language,
    get_language_bidi,
    gettext,
    ngettext,
    npgettext,
    pgettext,
)
from markupsafe import Markup

from articles.models.paths import path_of
from articles.templatetags import reader_pages as articles_helpers
from articles.templatetags.site_tags import local_date
from comments.templatetags import reader_pages as comments_helpers


class DjangoMarkup(Markup):
    """Markup that escapes as Django does (`'` as &#x27;, not markupsafe's &#39;), so a page's
    bytes do not depend on which engine wrote them."""

    __slots__ = ()

    @classmethod
    def escape(cls, value):
        return escape(value)


def escape(value) -> Markup:
    if hasattr(value, "__html__"):
        return DjangoMarkup(value.__html__())
    # What django.utils.html.escape does, without its wrapper for lazy strings.
    return DjangoMarkup(escape_html(str(value)))


class ReaderTemplate(jinja2.Template):
    """A compiled template whose output and {% trans %} blocks escape with Django's escape()."""

    @classmethod
    def _from_namespace(cls, environment, namespace, globals):
        namespace["escape"] = escape
        namespace["Markup"] = DjangoMarkup
        return super()._from_namespace(environment, namespace, globals)

    def render(self, *args, **kwargs) -> SafeString:
        """HTML, as Django's templates give it: a part rendered alone (render_to_string) and put
        into a page is not escaped again."""
        return SafeString(super().render(*args, **kwargs))


class ReaderEnvironment(jinja2.Environment):
    def make_globals(self, d):
        """A template's globals as one dict, its own over the environment's, rather than Jinja's
        ChainMap of the two: every render copies them into its context, and a ChainMap is
        walked name by name each time (a story card's render spent most of its time there).
        As Jinja asks, no global changes once a template is loaded: environment() sets them
        all before any is."""
        return {**self.globals, **(d or {})}


def now(format_string: str) -> str:
    return local_date(timezone.now(), format_string)


def spaceless(value) -> Markup:
    """Django's {% spaceless %}: no whitespace between tags, none around the whole."""
    return Markup(html.strip_spaces_between_tags(str(value).strip()))


def environment(**options) -> jinja2.Environment:
    # Django's templates keep a template's last newline; pages are compared byte for byte.
    options["keep_trailing_newline"] = True
    # As in Django's templates: a missing name or attribute is empty, in debug too.
    options["undefined"] = jinja2.ChainableUndefined
    env = ReaderEnvironment(extensions=["jinja2.ext.i18n"], **options)
    env.template_class = ReaderTemplate
    env.install_gettext_callables(
        gettext, ngettext, newstyle=False, pgettext=pgettext, npgettext=npgettext
    )
    env.globals.update(
        url=path_of,
        static=static,
        now=now,
        get_current_language=get_language,
        get_current_language_bidi=get_language_bidi,
        **articles_helpers.GLOBALS,
        **comments_helpers.GLOBALS,
    )
    env.filters.update(spaceless=spaceless, **articles_helpers.FILTERS)
    return env
