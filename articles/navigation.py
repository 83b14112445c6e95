"""The section navigation shown on every page, cached because it rarely changes.

Cached rather than queried so a page's query budget goes to its stories. Keyed by the content
version (articles/page_cache.py), which a saved or deleted section moves once committed: every
worker shows the new navigation on its next request.
"""

from django.core.cache import cache

from . import page_cache
from .models import Section

TIMEOUT = 60 * 60


def sections() -> list[dict]:
    """[{"name", "slug", "url"}, …] in navigation order."""
    version = page_cache.current_versions([page_cache.CONTENT])[page_cache.CONTENT]
    key = f"articles:navigation:{version}"
    cached = cache.get(key)
    if cached is None:
        cached = [
            {"name": section.name, "slug": section.slug, "url": section.get_absolute_url()}
            for section in Section.objects.only("name", "slug")
        ]
        cache.set(key, cached, TIMEOUT)
    return cached
