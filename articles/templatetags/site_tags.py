"""The reader pages' HTML helpers (pictures, bylines, times, highlights, JSON-LD), which their
Jinja2 templates call through articles/templatetags/reader_pages.py; and the one filter the
back office's Django templates use from here, |w3c_datetime."""

import functools
import html
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from operator import attrgetter

from django import template
from django.template import defaultfilters
from django.utils import dateformat, dates, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext, pgettext_lazy

from articles.public import search, seo

register = template.Library()


def _escape(value) -> str:
    """Django's escape() without its lazy-string wrapper (these helpers run per story card)."""
    return html.escape(str(value))


def picture(photo, sizes="100vw", eager=False, css_class=""):
    """<picture>: WebP and JPEG srcsets at every width, explicit size, lazy unless `eager`.

    Built here rather than in a partial, as `byline` is: a page has dozens of story cards.
    """
    # Never made here: a reader's page view must not pay for (or retry) resizing a photo.
    # Without renditions the page shows the original; `make_renditions` fills them in.
    webp_srcset, jpeg_srcset, fallback, largest = photo.picture_sources()
    sizes = _escape(sizes)
    css = f' class="{_escape(css_class)}"' if css_class else ""
    # Written out rather than through format_html: a page has dozens of these, and every value
    # is escaped here as format_html would.
    return mark_safe(
        f"<picture{css}>"
        + (
            f'\n  <source type="image/webp" srcset="{_escape(webp_srcset)}" sizes="{sizes}">'
            if webp_srcset
            else ""
        )
        + f'\n  <img src="{_escape(fallback or photo.lasting_original()["url"])}"'
        + (f' srcset="{_escape(jpeg_srcset)}" sizes="{sizes}"' if jpeg_srcset else "")
        + f' width="{_escape(largest["width"])}" height="{_escape(largest["height"])}"'
        + f' alt="{_escape(photo.alt_text)}"'
        + (' fetchpriority="high"' if eager else ' loading="lazy"')
        + ' decoding="async">\n</picture>\n'
    )


def byline(story, linked=False):
    """<span class="byline">: "A, B and C"; "By" and links to author pages when `linked`.

    Built here rather than in a partial because every story card and rail entry has one.
    """
    authors = story.byline_authors
    if not authors:
        return ""
    if linked:
        names = [
            f'<a href="{_escape(author.get_absolute_url())}" rel="author">{_escape(author.name)}</a>'
            for author in authors
        ]
    else:
        names = [f"<bdi>{_escape(author.name)}</bdi>" for author in authors]
    if len(names) == 1:
        listed = names[0]
    else:
        # The names are escaped above; the words around them come from our own catalogs.
        listed = gettext("%(names)s and %(last)s") % {
            "names": gettext(", ").join(names[:-1]),
            "last": names[-1],
        }
    if linked:
        listed = gettext("By %(names)s") % {"names": listed}
    return mark_safe(f'<span class="byline">{listed}</span>')


# The date formats of reader pages, by their English, as each edition writes them: a translator
# moves the parts (Hebrew: "j בF Y", 6 בדצמבר 2026). Django's names of months and days follow.
DATE_FORMATS = {
    "j F Y": pgettext_lazy("date format", "j F Y"),
    "j F Y, H:i": pgettext_lazy("date format", "j F Y, H:i"),
    "j F Y, H:i T": pgettext_lazy("date format", "j F Y, H:i T"),
    "j M Y": pgettext_lazy("date format", "j M Y"),
    "j M Y, H:i": pgettext_lazy("date format", "j M Y, H:i"),
    "l j F": pgettext_lazy("date format", "l j F"),
}


# What date_writer writes itself, as Django's dateformat would: the numbers, and the names of
# months and days in the language active when the format is first written in it.
_NUMBERS = {
    "d": lambda moment: f"{moment.day:02d}",
    "j": lambda moment: str(moment.day),
    "m": lambda moment: f"{moment.month:02d}",
    "n": lambda moment: str(moment.month),
    "Y": lambda moment: f"{moment.year:04d}",
    "y": lambda moment: f"{moment.year % 100:02d}",
    "H": lambda moment: f"{moment.hour:02d}",
    "G": lambda moment: str(moment.hour),
    "i": lambda moment: f"{moment.minute:02d}",
    "s": lambda moment: f"{moment.second:02d}",
}
_MONTH = attrgetter("month")


def _weekday(moment) -> int:
    return moment.weekday()


# Each name's words (read in the active language) and which of them a moment takes.
_NAMES = {
    "M": (lambda: {n: str(name).title() for n, name in dates.MONTHS_3.items()}, _MONTH),
    "b": (lambda: {n: str(name) for n, name in dates.MONTHS_3.items()}, _MONTH),
    "F": (lambda: {n: str(name) for n, name in dates.MONTHS.items()}, _MONTH),
    "N": (lambda: {n: str(name) for n, name in dates.MONTHS_AP.items()}, _MONTH),
    "l": (lambda: {n: str(name) for n, name in dates.WEEKDAYS.items()}, _weekday),
    "D": (lambda: {n: str(name) for n, name in dates.WEEKDAYS_ABBR.items()}, _weekday),
}


def _named(words: dict, which):
    return lambda moment: words[which(moment)]


@functools.lru_cache(maxsize=256)
def _date_writer(format_string: str, language: str):
    parts = []
    for n, piece in enumerate(dateformat.re_formatchars.split(format_string)):
        if not n % 2:
            if piece:
                parts.append(dateformat.re_escaped.sub(r"\1", piece))
        elif piece in _NUMBERS:
            parts.append(_NUMBERS[piece])
        elif piece in _NAMES:
            words, which = _NAMES[piece]
            parts.append(_named(words(), which))
        else:
            # The rest (time zones, ISO weeks, "a.m."…) as Django writes them.
            return functools.partial(dateformat.format, format_string=format_string)
    return lambda moment: "".join(part if type(part) is str else part(moment) for part in parts)


def date_writer(format_string: str):
    """`dateformat.format(moment, format_string)` as one function of the moment, the format read
    once: what a page writes for each of many times (its comments') in the active language."""
    return _date_writer(str(format_string), get_language())


def local_date(value, format_string: str) -> str:
    """Django's |date in the current time zone, as Django's templates show a time (the reader
    pages' Jinja2 templates do not convert it themselves)."""
    return defaultfilters.date(timezone.template_localtime(value), format_string)


def edition_date(value, english_format: str) -> str:
    """`value|date:english_format`, written the edition's way, in the current time zone."""
    return local_date(value, str(DATE_FORMATS.get(english_format, english_format)))


@dataclass(frozen=True)
class _LocalTime:
    day: date
    clock: str  # 18:36
    short_date: str  # 28 Nov 2026
    zone: tzinfo
    # story_time's <time datetime="…" title="28 November 2026, 18:36 UTC">, escaped.
    time_tag: str


@functools.lru_cache(maxsize=4096)
def _local_time(value, zone, language) -> _LocalTime:
    """A moment as readers see it in `zone` and `language`. Kept: every page shows the same
    few dozen stories' times."""
    local = timezone.localtime(value, zone)
    full = date_writer(DATE_FORMATS["j F Y, H:i T"])(local)
    return _LocalTime(
        day=local.date(),
        clock=date_writer("H:i")(local),
        short_date=date_writer(DATE_FORMATS["j M Y"])(local),
        zone=zone,
        time_tag=f'<time datetime="{_escape(seo.w3c_datetime(value))}" title="{_escape(full)}">',
    )


def local_time(value) -> _LocalTime:
    return _local_time(value, timezone.get_current_timezone(), get_language())


def _relative(value, local: _LocalTime, now) -> str:
    age = now - value
    if age < timedelta(minutes=1):
        return gettext("just now")
    if age < timedelta(hours=1):
        minutes = age.seconds // 60
        return ngettext("%(count)d min ago", "%(count)d min ago", minutes) % {"count": minutes}
    if local.day == now.astimezone(local.zone).date():
        return local.clock
    return local.short_date


def relative_time(value, now=None) -> str:
    """ "just now", "25 min ago" within the hour, "18:36" earlier today, else "28 Nov 2026"."""
    return _relative(value, local_time(value), now or timezone.now())


def story_time(value, now=None):
    """<time> for a story's publication: relative text, exact machine-readable datetime."""
    if value is None:
        return ""
    local = local_time(value)
    return mark_safe(
        f"{local.time_tag}{_escape(_relative(value, local, now or timezone.now()))}</time>"
    )


def highlight(marked: str):
    return search.highlight(marked)


@register.filter
def w3c_datetime(value) -> str:
    """For <time datetime> and feeds: seconds at most (HTML allows no microseconds)."""
    return seo.w3c_datetime(value)


def json_ld(data: dict | list[dict]):
    return seo.json_ld(data)


def card_image(image: dict | None) -> dict:
    """A social card's picture: `image`, else the publisher's logo (NEWSROOM_PUBLISHER_LOGO)."""
    return image or seo.logo_image()
