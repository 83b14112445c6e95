"""Paths of the site's pages, reversed once: reader pages name the same stories, sections,
authors and tags on every render, and reverse() costs far more per call than a lookup. What
reverse() reads besides the view's name and arguments (the script prefix, the URLconf) is part
of the key, so a path is never served for another prefix or URLconf."""

import functools
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS

# What reverse() leaves unquoted in a path; and a value no real argument is.
_SAFE = RFC3986_SUBDELIMS + "/~:@"
_STAND_IN = "path-stand-in-1111"


def path_of(name: str, *args, **kwargs) -> str:
    """reverse(name, args=args, kwargs=kwargs), remembered."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reversed(name, args, tuple(kwargs.items()), get_script_prefix(), urlconf)


@functools.lru_cache(maxsize=16_384)
def _reversed(name: str, args: tuple, kwargs: tuple, script_prefix: str, urlconf: str) -> str:
    return reverse(name, args=args or None, kwargs=dict(kwargs) or None, urlconf=urlconf)


def paths_of(name: str, varying: str, **kwargs) -> Callable[[str], str]:
    """For many values of one argument, the path path_of(name, **kwargs) gives with each (a
    sitemap page names thousands of stories: reversed once for them all, not once for each).
    Each value is quoted as reverse() quotes it; values are ones the pattern takes (slugs as
    the models store them)."""
    head, _, tail = path_of(name, **kwargs, **{varying: _STAND_IN}).partition(_STAND_IN)
    return lambda value: f"{head}{quote(value, safe=_SAFE)}{tail}"
