"""The section navigation shown on every page, cached because it rarely changes.

Cached rather than queried so a page's query budget goes to its stories. Keyed by the content
version (articles/caching.py), which a saved or deleted section moves once committed: every
worker shows the new navigation on its next request.
"""

from django.core.cache import cache

from articles import caching
from articles.models import Section

TIMEOUT = 60 * 60


def sections(request=None) -> list[dict]:
    """[{"name", "slug", "url"}, …] in navigation order, for the page `request` is making."""
    if request is None:
        version = caching.current_versions([caching.CONTENT])[caching.CONTENT]
    else:
        version = caching.content_version(request)  # read once for header and footer
    key = f"articles:navigation:{version}"
    cached = cache.get(key)
    if cached is None:
        cached = [
            {"name": section.name, "slug": section.slug, "url": section.get_absolute_url()}
            for section in Section.objects.only("name", "slug")
        ]
        cache.set(key, cached, TIMEOUT)
    return cached
