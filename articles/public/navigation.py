"""The section navigation shown on every page, cached because it rarely changes.

Cached rather than queried so a page's query budget goes to its stories. Keyed by the content
version (articles/caching.py), which a saved or deleted section moves once committed: every
worker shows the new navigation on its next request.
"""

from articles import caching
from articles.models import Section

TIMEOUT = 60 * 60


def sections(request=None) -> list[dict]:
    """[{"name", "slug", "url"}, …] in navigation order, for the page `request` is making."""
    return caching.by_content_version(request, "articles:navigation", _sections, TIMEOUT)


def _sections() -> list[dict]:
    return [
        {"name": section.name, "slug": section.slug, "url": section.get_absolute_url()}
        for section in Section.objects.only("name", "slug")
    ]
