"""Cache hits answered before the rest of the middleware runs.

A page cache hit (page_cache.reader_page) still runs the whole middleware stack around a copy
that is the same for every reader: sessions, CSRF, authentication, messages, security headers,
CSP, gzip. For a plain anonymous read, whose answer depends on nothing but the address and
whether the reader accepts gzip, this middleware (first in MIDDLEWARE) keeps the finished
answer of the first hit of a copy (headers, and the body as sent: compressed once per copy,
not once per hit) and gives it to the next readers for as long as that copy itself is fresh,
by the same rule (page_cache._is_fresh): same versions, same age limit, so it never outlives
the copy it came from. Anything else takes the whole stack: requests carrying cookies
(staff, sessions, CSRF), conditional requests (ETag / 304), requests through a proxy
(X-Forwarded-*, see newsroom.proxies), HEAD, and stale copies served while Postgres is away.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip

from .page_cache import _is_fresh, page_key


@dataclass
class _Answer:
    versions: dict
    stored_at: float
    response: HttpResponse  # as sent, without its Age


def _is_plain_read(request) -> bool:
    meta = request.META
    return (
        request.method == "GET"
        and not meta.get("HTTP_COOKIE")
        and not any(
            name.startswith(("HTTP_IF_", "HTTP_X_FORWARDED_", "HTTP_RANGE")) for name in meta
        )
    )


class ServedCopyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.NEWSROOM_PAGE_CACHE_SECONDS
        if seconds <= 0 or not _is_plain_read(request):
            return self.get_response(request)
        try:
            key = page_key(request)
        except DisallowedHost:
            return self.get_response(request)  # answered by the whole stack, with its headers
        # GZipMiddleware's own test: the answer differs only by whether gzip is accepted.
        gzip = bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
        key = f"{key}:answer:{'gzip' if gzip else 'identity'}"
        answer = cache.get(key)
        if answer is not None and _is_fresh(answer, seconds):
            response = answer.response  # the cache gives each request its own copy
            response.headers["Age"] = str(int(time.time() - answer.stored_at))
            return response
        response = self.get_response(request)
        copy = getattr(request, "_page_cache_copy", None)
        if (
            copy is not None
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            age = response.headers.pop("Age", None)
            cache.set(key, _Answer(copy.versions, copy.stored_at, response), seconds)
            if age is not None:
                response.headers["Age"] = age
        return response
