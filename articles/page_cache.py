"""Whole reader pages kept in the cache for anonymous readers, and the article page's parts
that are the same for every reader.

Home, section, topic and author pages, feeds, sitemaps and robots.txt carry nothing of the
reader's own (no form token, no messages), so one rendering can serve every anonymous reader
for NEWSROOM_PAGE_CACHE_SECONDS (0 turns this off). Signed-in users (staff) always get a fresh
page, and theirs is never stored; nor is any response that sets a cookie or says it is private.

Freshness: the cache key holds the content version (one small query, models.ContentVersion),
which articles/signals.py bumps whenever a story, section, photo, author, byline or tag link is
saved or deleted, so an editor's change shows on the next request in every process, whatever
the cache backend; pages of an older version are never read again and expire. A scheduled story
going live on its own changes nothing in the database: it appears once the cached copy expires,
at most NEWSROOM_PAGE_CACHE_SECONDS later.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import get_max_age

from .models import ContentVersion

_NOT_STORED = ("private", "no-cache", "no-store")


def page_key(request) -> str:
    # Scheme and host too: pages carry absolute links (canonical, feeds, sitemaps, robots.txt).
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]
    return f"articles:page:{ContentVersion.current()}:{address}"


def is_storable(request, response) -> bool:
    """Only a page that could go to any reader: nothing set or written for this one."""
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(getattr(request, "session", None), "modified", False)
        and not any(word in cache_control for word in _NOT_STORED)
        and get_max_age(response) != 0
    )


def anonymous_page_cache(view):
    """Serve anonymous GET/HEAD requests from the cache; store what the view returns."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        seconds = settings.NEWSROOM_PAGE_CACHE_SECONDS
        if seconds <= 0 or request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = page_key(request)
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = view(request, *args, **kwargs)
        if is_storable(request, response):

            def store(rendered):
                cache.set(key, rendered, seconds)

            if getattr(response, "is_rendered", True):
                store(response)
            else:
                # A TemplateResponse (sitemaps): stored once it has been rendered.
                response.add_post_render_callback(store)
        return response

    return wrapped


# The article page itself is never stored whole: it carries the reader's CSRF token, their
# messages and the live comments region. What it shows of the story, its related stories and
# the latest-news rail is the same for every reader, though, and was most of its rendering
# and queries. Those parts follow the rules above (same setting, same content version, same
# at-most-one-TTL lag for relative times such as "25 min ago" and for scheduled stories).


def story_fingerprint(story) -> str:
    """The story's row and the section and photo rows read with it, as of this request.

    Part of the key of the story's cached HTML: the story is read afresh on every request,
    so an edit to it shows at once in every process, even one whose content version (local
    memory) has not been bumped, and even when it was made without signals.
    """
    rows = [story, story.section, story.lead_photo]
    values = [
        [getattr(row, field.attname) for field in row._meta.concrete_fields]
        for row in rows
        if row is not None
    ]
    return hashlib.sha256(repr(values).encode()).hexdigest()[:32]


def story_parts_key(request, story) -> str:
    # Scheme and host too: the parts carry absolute links (social tags, JSON-LD).
    origin = hashlib.sha256(request.build_absolute_uri("/").encode()).hexdigest()[:16]
    return f"articles:story:{ContentVersion.current()}:{origin}:{story_fingerprint(story)}"


def cached_story_parts(request, story, make):
    """`make()`'s result, reused for NEWSROOM_PAGE_CACHE_SECONDS (0 turns this off) until the
    story or anything else the page shows changes; as with whole pages, staff always get it
    fresh and never store theirs."""
    seconds = settings.NEWSROOM_PAGE_CACHE_SECONDS
    if seconds <= 0 or request.user.is_authenticated:
        return make()
    key = story_parts_key(request, story)
    parts = cache.get(key)
    if parts is None:
        parts = make()
        cache.set(key, parts, seconds)
    return parts
