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
    """Anonymous readers: cacheable for READER_MAX_AGE (privately when the page carries a CSRF
    token of their own, such as the comment form). Signed-in staff: never cached."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        elif response.status_code == 200:
            per_reader = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
            scope = "private" if per_reader else "public"
            patch_cache_control(response, max_age=READER_MAX_AGE, **{scope: True})
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
