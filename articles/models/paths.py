"""Paths of the site's pages, reversed once: reader pages name the same stories, sections,
authors and tags on every render, and reverse() costs far more per call than a lookup. What
reverse() reads besides the view's name and arguments (the script prefix, the URLconf) is part
of the key, so a path is never served for another prefix or URLconf."""

import functools
import string
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS

# What reverse() leaves unquoted in a path besides letters, digits and "_.-~"; all of them
# (what quote() leaves as it is); and a value no real argument is.
_SAFE = RFC3986_SUBDELIMS + "/~:@"
_UNQUOTED = string.ascii_letters + string.digits + "_.-~" + _SAFE
_STAND_IN = "path-stand-in-1111"


def path_of(name: str, *args, **kwargs) -> str:
    """reverse(name, args=args, kwargs=kwargs), remembered."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reversed(name, args, tuple(kwargs.items()), get_script_prefix(), urlconf)


@functools.lru_cache(maxsize=16_384)
def _reversed(name: str, args: tuple, kwargs: tuple, script_prefix: str, urlconf: str) -> str:
    return reverse(name, args=args or None, kwargs=dict(kwargs) or None, urlconf=urlconf)


def path_around(name: str, stand_in, *args, **kwargs) -> tuple[str, str]:
    """path_of(name, *args, **kwargs) as the text before and after `stand_in`: one of the
    arguments, a value no other argument holds, standing for every value of that argument, so
    the paths of many (a sitemap's thousands of stories, a page's comments) come from one
    reverse."""
    head, _, tail = path_of(name, *args, **kwargs).partition(str(stand_in))
    return head, tail


def path_with(name: str, varying: str, value: str, **kwargs) -> str:
    """path_of(name, **kwargs, **{varying: value}) from one reverse for every `value`, quoted as
    reverse() quotes it; for values the pattern takes (slugs as the models store them)."""
    head, tail = path_around(name, _STAND_IN, **kwargs, **{varying: _STAND_IN})
    return f"{head}{_quoted(value)}{tail}"


def paths_with(name: str, varying: str, **kwargs):
    """path_with(name, varying, value, **kwargs) as a function of `value` alone, for a loop over
    many values: the path around them is looked up once, not once per value."""
    head, tail = path_around(name, _STAND_IN, **kwargs, **{varying: _STAND_IN})
    return lambda value: f"{head}{_quoted(value)}{tail}"


def _quoted(value: str) -> str:
    """quote(value, safe=_SAFE), without its costs for a value it leaves as it is (a slug as
    the models keep one): stripping every character quote() leaves leaves nothing."""
    return quote(value, safe=_SAFE) if value.rstrip(_UNQUOTED) else value
