"""Caching: page copies, kept parts, versions and purges. The lowest layer: it imports nothing
else from `articles` and knows no domain word; which keys a change touches is decided by the
domains (articles/public/invalidation.py, comments/caching.py)."""

from .pages import (
    COPY_SERVED,
    MISSING_SECONDS,
    add_private_headers,
    add_shared_headers,
    by_content_version,
    conditional,
    content_version,
    depends_on,
    fresh_until,
    is_fresh,
    page_etag,
    reader_page,
    shared_answer,
    shows,
)
from .parts import fragment_seconds, shared_part
from .versions import (
    CONTENT,
    EVERYTHING,
    MISSING,
    current_versions,
    keep_own_versions,
    purge,
    purge_everything,
    shared_store,
    withdraw,
)

__all__ = [
    "CONTENT",
    "COPY_SERVED",
    "EVERYTHING",
    "MISSING",
    "MISSING_SECONDS",
    "add_private_headers",
    "add_shared_headers",
    "by_content_version",
    "conditional",
    "content_version",
    "current_versions",
    "depends_on",
    "fragment_seconds",
    "fresh_until",
    "is_fresh",
    "keep_own_versions",
    "page_etag",
    "purge",
    "purge_everything",
    "reader_page",
    "shared_answer",
    "shared_part",
    "shared_store",
    "shows",
    "withdraw",
]
