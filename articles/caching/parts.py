"""Parts of pages that are the same whoever reads them, kept across page views while the content
version holds: a page rendered without a whole-page copy (the page cache off, or a copy not made
yet) is mostly assembled, not rendered, and a change of one key's own version (a moderator's
decision on a story's comments) re-renders only the parts depending on it.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

from .pages import content_version


def fragment_seconds() -> int:
    """How long the parts of a page that are the same for every reader are kept (0: not kept)."""
    seconds = settings.NEWSROOM_FRAGMENT_CACHE_SECONDS
    return settings.NEWSROOM_PAGE_CACHE_SECONDS if seconds is None else seconds


def shared_part(request, name: str, make, version: str | None = None):
    """`make()`'s result, reused by anonymous readers while `version` (by default the content
    version) holds and for at most fragment_seconds() (0 turns this off), like a whole page;
    staff always get it fresh. A None result (nothing found) is never kept."""
    seconds = fragment_seconds()
    if seconds <= 0 or request.user.is_authenticated:
        return make()
    if version is None:
        version = content_version(request)
    # The origin too: parts carry absolute links.
    address = f"{request.build_absolute_uri('/')}\n{name}"
    key = f"articles:part:{version}:{hashlib.sha256(address.encode()).hexdigest()[:32]}"
    part = cache.get(key)
    if part is None:
        part = make()
        if part is not None:
            cache.set(key, part, seconds)
    return part
