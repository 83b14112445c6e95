"""Paths of the site's pages, reversed once: reader pages name the same stories, sections,
authors and tags on every render, and reverse() costs far more per call than a lookup. What
reverse() reads besides the view's name and arguments (the script prefix, the URLconf) is part
of the key, so a path is never served for another prefix or URLconf."""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def path_of(name: str, *args, **kwargs) -> str:
    """reverse(name, args=args, kwargs=kwargs), remembered."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reversed(name, args, tuple(kwargs.items()), get_script_prefix(), urlconf)


@functools.lru_cache(maxsize=16_384)
def _reversed(name: str, args: tuple, kwargs: tuple, script_prefix: str, urlconf: str) -> str:
    return reverse(name, args=args or None, kwargs=dict(kwargs) or None, urlconf=urlconf)
