"""Copies of reader pages, and the HTTP cache headers: anonymous readers share every reader page.

A page is kept in the cache under its address, with the versions of the content it was rendered
from (caching/versions.py). A request serves that copy when its versions are still current and
it is younger than NEWSROOM_PAGE_CACHE_SECONDS; the versions are read from the cache too, so a
hit runs no database query. The copy outlives its freshness (NEWSROOM_PAGE_STALE_SECONDS): while
Postgres is away it is served instead of an error.

Pages name what they show as surrogate keys (chosen by the domains: articles/public/
invalidation.py, comments/caching.py), sent in the `xkey` header, so that a purge of a key drops
exactly the pages showing it from the shared caches in NEWSROOM_PURGE_URLS. A page that changes
with time alone (a scheduled story going live) appears once the copies expire, at most
NEWSROOM_PAGE_CACHE_SECONDS later. A page that knows when what it shows stops being true (a
notice with an expiry) says so with `fresh_until()`: its copies, here and in front, last no longer.
"""

import hashlib
import logging
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.exception import response_for_exception
from django.db import DatabaseError
from django.http import Http404
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    get_max_age,
    patch_cache_control,
)
from django.utils.http import http_date

from .addresses import PARAMS_ATTRIBUTE, only_params, page_address
from .versions import CONTENT, EVERYTHING, MARKS, MISSING, current_versions, may_serve_stale

log = logging.getLogger(__name__)

# How long shared caches may serve a copy while they fetch a fresh one, or while the site fails.
STALE_WHILE_REVALIDATE = 30
_NOT_STORED = ("private", "no-cache", "no-store")
# How long shared caches keep a "not found": short, and purged by the MISSING key, so a page that
# appears (a story published at an address a reader tried) shows at once, or within this time.
MISSING_SECONDS = 10
# Where a request served from a fresh copy says so to caching/served_copies.py, in the WSGI
# environ (which is the request's META).
COPY_SERVED = "newsroom.page_copy"


def shows(request, keys: Iterable[str]) -> None:
    """Record that the page being rendered shows `keys` (sent as its `xkey` header)."""
    _state(request).keys.update(keys)


def depends_on(request, name: str) -> str:
    """The version `name` (a key with versions of its own) of the page being rendered, which
    now depends on it and shows it."""
    version = current_versions([name])[name]
    state = _state(request)
    state.keys.add(name)
    state.versions.setdefault(name, version)
    return version


def fresh_until(request, moment: datetime) -> None:
    """The page being rendered shows something that stops being true at `moment`: no copy of it,
    here or in a shared cache, is served after that."""
    state = _state(request)
    until = moment.timestamp()
    state.until = until if state.until is None else min(state.until, until)


def content_version(request) -> str:
    """The content version the page being made depends on: read once per request."""
    versions = _state(request).versions
    if CONTENT not in versions:
        versions.update(current_versions([CONTENT]))
    return versions[CONTENT]


def by_content_version(request, name: str, make, seconds: int):
    """`make()`'s result for the content version the page `request` makes depends on (without a
    request, the current one), kept in the cache under `name` and that version for `seconds`,
    and read from it once per request however often the page shows it (header and footer).
    For what is the same whoever reads it: navigation, the standards pages."""
    if request is None:
        return _by_version(name, current_versions([CONTENT])[CONTENT], make, seconds)
    read = _state(request).read
    if name not in read:
        read[name] = _by_version(name, content_version(request), make, seconds)
    return read[name]


def _by_version(name: str, version: str, make, seconds: int):
    key = f"{name}:{version}"
    value = cache.get(key)
    if value is None:
        value = make()
        cache.set(key, value, seconds)
    return value


# The page cache.


@dataclass
class _PageState:
    """What a page being rendered depends on: versions read before its data, keys it shows."""

    versions: dict
    keys: set
    until: float | None = None  # a timestamp past which the page is no longer true
    read: dict = field(default_factory=dict)  # by_content_version's values, by name


def _state(request) -> _PageState:
    state = getattr(request, "_page_cache", None)
    if state is None:
        state = request._page_cache = _PageState(versions={}, keys=set())
    return state


@dataclass
class _Copy:
    versions: dict
    stored_at: float
    response: object
    # What the page showed, and when its rendering began (before it read any data): a copy
    # showing a key withdrawn since is never served, not even stale (versions.withdraw).
    keys: frozenset = frozenset()
    rendered_from: float = 0.0
    # When what the page shows stops being true by itself (fresh_until): never served past it.
    until: float | None = None


def page_key(request, params=()) -> str:
    """Where the copy of the page `request` asks for is kept (addresses.py): `request.GET` holds
    only the parameters the page reads, `params`."""
    address = page_address(request.scheme, request.get_host(), request.path, request.GET, params)
    return f"articles:page:{address}"


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


def add_shared_headers(response, seconds: int, *, bounded: bool = False) -> None:
    """Public: browsers, Varnish and CDNs may keep it, and serve it while the site fails.
    A `bounded` lifetime ends when the page stops being true: not served stale past it."""
    patch_cache_control(
        response,
        public=True,
        max_age=seconds,
        s_maxage=seconds,
        stale_while_revalidate=0 if bounded else STALE_WHILE_REVALIDATE,
        stale_if_error=settings.NEWSROOM_PAGE_STALE_SECONDS,
    )


def add_private_headers(response) -> None:
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)


def _is_shared_request(request) -> bool:
    return request.method in ("GET", "HEAD") and not request.user.is_authenticated


def reader_page(
    *keys: str,
    max_age: int | None = None,
    params: tuple[str, ...] = (),
    browser_max_age: int | None = None,
):
    """Cache a reader page for anonymous readers (see the module docstring); staff always get
    it fresh and private. `keys` are surrogate keys the page always shows; the view adds the
    rest with `shows()`. `max_age` overrides the lifetime given to browsers and shared caches.
    `params` are the query parameters the page reads: it gets only those in `request.GET`, and
    its copies are told apart by those alone (addresses.py). `browser_max_age` shortens the
    lifetime browsers alone are given (an address polled for changes: shared caches keep it
    until it is purged, a browser asks again soon)."""
    params = tuple(params)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            request.GET = only_params(request.GET, params)
            if not _is_shared_request(request):
                response = view(request, *args, **kwargs)
                if request.user.is_authenticated:
                    add_private_headers(response)
                return response
            seconds = settings.NEWSROOM_PAGE_CACHE_SECONDS
            if seconds <= 0:
                return _render(request, view, args, kwargs, keys, max_age or 60, browser_max_age)
            key = page_key(request, params)
            copy = cache.get(key)
            if copy is not None and is_fresh(copy, seconds):
                return _serve(request, copy)
            rendered_from = time.time()
            # How often pages are made rather than served from a copy (DJANGO_LOG_LEVEL=DEBUG).
            log.debug("Rendering %s: no fresh copy", request.get_full_path())
            try:
                _state(request).versions.update(current_versions([CONTENT, MARKS]))
                response = _render(
                    request, view, args, kwargs, keys, max_age or seconds, browser_max_age
                )
            except DatabaseError:
                if copy is None or not may_serve_stale(
                    copy.keys, copy.versions, copy.rendered_from
                ):
                    raise
                log.warning("Database unavailable: serving the last good copy of %s", request.path)
                return _serve(request, copy, stale=True)
            if response.status_code == 404 and copy is not None:
                cache.delete(key)  # gone from this address: its last copy must not come back
            if is_storable(request, response):

                def store(rendered):
                    state = _state(request)
                    cache.set(
                        key,
                        _Copy(
                            state.versions,
                            time.time(),
                            rendered,
                            frozenset(state.keys),
                            rendered_from,
                            state.until,
                        ),
                        settings.NEWSROOM_PAGE_STALE_SECONDS,
                    )

                if getattr(response, "is_rendered", True):
                    store(response)
                else:
                    # A TemplateResponse (sitemaps): stored once it has been rendered.
                    response.add_post_render_callback(store)
            return response

        setattr(wrapped, PARAMS_ATTRIBUTE, params)
        return wrapped

    return decorator


def is_fresh(copy, seconds: int, known: dict | None = None) -> bool:
    """Whether `copy` (anything with `versions`, `stored_at` and `until`) may still be served;
    `known`: current versions read with it (versions.read_with_versions)."""
    now = time.time()
    until = getattr(copy, "until", None)
    return (
        now - copy.stored_at < seconds
        and (until is None or now < until)
        and current_versions(copy.versions, known) == copy.versions
    )


def _render(request, view, args, kwargs, keys, max_age, browser_max_age=None):
    try:
        response = view(request, *args, **kwargs)
    except Http404 as error:
        # Answered here rather than by the handler, to carry the headers below.
        response = response_for_exception(request, error)
    if response.status_code not in (200, 304, 404):
        return response
    cache_control = response.get("Cache-Control", "")
    if response.cookies or any(word in cache_control for word in _NOT_STORED):
        add_private_headers(response)  # something of this reader's own: never shared
        return response
    state = _state(request)
    state.keys.update(keys, [EVERYTHING])
    if response.status_code == 404:
        # Not found may become found (a story published at this address, one whose schedule or
        # embargo passes): kept briefly by caches in front, and dropped by any purge of
        # MISSING. Never kept by the app.
        state.keys.add(MISSING)
        response.headers["xkey"] = " ".join(sorted(state.keys))
        patch_cache_control(
            response, public=True, max_age=MISSING_SECONDS, s_maxage=MISSING_SECONDS
        )
        return response
    response.headers["xkey"] = " ".join(sorted(state.keys))
    bounded = state.until is not None and state.until - time.time() < max_age
    if bounded:
        max_age = max(0, int(state.until - time.time()))
    add_shared_headers(response, max_age, bounded=bounded)
    if browser_max_age is not None:
        patch_cache_control(response, max_age=browser_max_age)  # the smaller of the two
    return response


def _serve(request, copy: _Copy, stale: bool = False):
    response = copy.response
    if not stale:
        request.META[COPY_SERVED] = copy  # the whole answer may be kept with it (served_copies)
    age = int(time.time() - copy.stored_at)
    if stale:
        # Do not let caches in front keep it: a fresh page follows as soon as the database is back.
        patch_cache_control(response, max_age=0, s_maxage=0)
    else:
        response.headers["Age"] = str(age)
    if etag := response.get("ETag"):
        return get_conditional_response(request, etag=etag, response=response)
    return response


# Hidden form fields carry per-render values (the comment form's signed time), not what readers see.
_HIDDEN_INPUT = re.compile(rb'<input type="hidden"[^>]*>')


def page_etag(content: bytes) -> str:
    """A strong ETag for a rendered page, ignoring the per-render values in hidden fields.

    Hashing the page itself (not a few timestamps) covers everything it shows: the story,
    the latest-news rail, related stories and the comments region the comments app renders.
    """
    digest = hashlib.sha256(_HIDDEN_INPUT.sub(b"", content)).hexdigest()[:32]
    return f'"{digest}"'


def conditional(request, response, last_modified):
    """Add ETag and Last-Modified (when known); answer 304 when the reader already has this page."""
    if response.status_code != 200:
        return response
    etag = page_etag(response.content)
    timestamp = None if last_modified is None else int(last_modified.timestamp())
    response.headers["ETag"] = etag
    if timestamp is not None:
        response.headers["Last-Modified"] = http_date(timestamp)
    return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)


def shared_answer(request, response, seconds: int, keys: Iterable[str] = ()) -> None:
    """Mark an answer made outside `reader_page` (the content API) as shared: public cache
    headers, and the surrogate keys it shows (recorded with `shows()`, and `keys`)."""
    shown = _state(request).keys | set(keys) | {EVERYTHING}
    response.headers["xkey"] = " ".join(sorted(shown))
    add_shared_headers(response, seconds)
