"""The section navigation shown on every page, cached because it rarely changes.

Cached rather than queried so a page's query budget goes to its stories; a section saved or
deleted clears it (articles/signals.py), and the timeout bounds staleness in other processes
when the cache is per-process local memory.
"""

from django.core.cache import cache

from .models import Section

CACHE_KEY = "articles:navigation"
TIMEOUT = 300


def sections() -> list[dict]:
    """[{"name", "slug", "url"}, …] in navigation order."""
    cached = cache.get(CACHE_KEY)
    if cached is None:
        cached = [
            {"name": section.name, "slug": section.slug, "url": section.get_absolute_url()}
            for section in Section.objects.only("name", "slug")
        ]
        cache.set(CACHE_KEY, cached, TIMEOUT)
    return cached


def forget() -> None:
    cache.delete(CACHE_KEY)
