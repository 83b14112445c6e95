"""HTTP caching for reader pages: Cache-Control, and ETag/Last-Modified on article pages."""

import hashlib
import re
from functools import wraps

from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
)
from django.utils.http import http_date

# How long browsers and shared caches may reuse a reader page without asking again.
READER_MAX_AGE = 60
# Hidden form fields carry per-request tokens (CSRF, form timestamps), not anything readers see.
_HIDDEN_INPUT = re.compile(rb'<input type="hidden"[^>]*>')


def reader_cache(view):
    """Cache-Control for reader pages.

    Anonymous readers: pages without forms may be reused by browsers and shared caches for
    READER_MAX_AGE. A page carrying the reader's own CSRF token (the article page's comment
    form) is private and revalidated on every view, which its ETag makes cheap: so a reader
    always sees their confirmation message and newly approved comments. Signed-in staff: never
    cached.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        elif response.status_code in (200, 304):
            if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
                patch_cache_control(response, private=True, no_cache=True)
            else:
                patch_cache_control(response, public=True, max_age=READER_MAX_AGE)
        return response

    return wrapped


def page_etag(content: bytes) -> str:
    """A strong ETag for a rendered page, ignoring the per-request tokens in hidden fields.

    Hashing the page itself (not a few timestamps) covers everything it shows: the story,
    the latest-news rail, related stories and the comments region the comments app renders.
    """
    digest = hashlib.sha256(_HIDDEN_INPUT.sub(b"", content)).hexdigest()[:32]
    return f'"{digest}"'


def conditional(request, response, last_modified):
    """Add ETag and Last-Modified; answer 304 when the reader already has this page."""
    if response.status_code != 200:
        return response
    etag = page_etag(response.content)
    timestamp = int(last_modified.timestamp())
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(timestamp)
    return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)
