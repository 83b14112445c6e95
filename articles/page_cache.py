"""Caching of reader pages, in one place: cache keys, what identifies the current content, the
HTTP cache headers and purges.

Anonymous readers share every reader page (the article page included: it carries nothing of the
reader's own). A page is kept in the cache under its address, with the versions of the content
it was rendered from. A request serves that copy when its versions are still current and it is
younger than NEWSROOM_PAGE_CACHE_SECONDS; the versions are read from the cache too, so a hit
runs no database query. The copy outlives its freshness (NEWSROOM_PAGE_STALE_SECONDS): while
Postgres is away it is served instead of an error.

What identifies the current content:
- the content version, changed by every editorial change (story, section, photo, author,
  byline, tag): every page starts afresh, which is cheap because such changes are rare;
- one version per story's comments, changed when what readers see of them changes (a moderator's
  decision): only that story's pages start afresh, so a busy comment queue leaves the rest cached.
Versions live in the "versions" cache, shared by every process (Redis, or a directory of files
with the local-memory cache): a change shows on the next request in every worker. A version that
is missing (the cache was emptied or restarted) is replaced by a new random one: every page is
rendered again once, never served from before the change.

Pages also name what they show as surrogate keys (`story-12`, `section-3`, `tag-7`, `author-5`,
`comments-12`, `home`, `latest`, `feeds`, `site`), sent in the `xkey` header, and a change sends
a purge of exactly its keys to the shared caches in NEWSROOM_PURGE_URLS (articles/purge.py), after
the transaction commits. A scheduled story going live changes nothing stored: it appears once the
copies expire, at most NEWSROOM_PAGE_CACHE_SECONDS later.
"""

import hashlib
import logging
import re
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.db import DatabaseError, transaction
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    get_max_age,
    patch_cache_control,
)
from django.utils.http import http_date

from . import purge as purge_backends

log = logging.getLogger(__name__)

CONTENT = "content"
# How long shared caches may serve a copy while they fetch a fresh one, or while the site fails.
STALE_WHILE_REVALIDATE = 30
_NOT_STORED = ("private", "no-cache", "no-store")
# Where a request served from a fresh copy says so to articles.served_copies, in the WSGI
# environ (which is the request's META).
COPY_SERVED = "newsroom.page_copy"


# Surrogate keys: what a page shows.


def story_key(pk) -> str:
    return f"story-{pk}"


def section_key(pk) -> str:
    return f"section-{pk}"


def tag_key(pk) -> str:
    return f"tag-{pk}"


def author_key(pk) -> str:
    return f"author-{pk}"


COMMENTS_KEY_PREFIX = "comments-"


def comments_key(article_id) -> str:
    return f"{COMMENTS_KEY_PREFIX}{article_id}"


def keys_for_stories(stories: Iterable) -> set[str]:
    """A story card or page shows the story, its section and its bylines' authors."""
    keys = set()
    for story in stories:
        keys.add(story_key(story.pk))
        if story.section_id:
            keys.add(section_key(story.section_id))
        for byline in getattr(story, "prefetched_bylines", ()):
            keys.add(author_key(byline.author_id))
    return keys


def shows(request, keys: Iterable[str]) -> None:
    """Record that the page being rendered shows `keys` (sent as its `xkey` header)."""
    _state(request).keys.update(keys)


def comments_version(request, article_id) -> str:
    """The version of a story's comments; the page being rendered now depends on it."""
    name = comments_key(article_id)
    version = current_versions([name])[name]
    state = _state(request)
    state.keys.add(name)
    state.versions.setdefault(name, version)
    return version


# Versions.


def _versions():
    return caches["versions"] if "versions" in settings.CACHES else cache


def _version_key(name: str) -> str:
    return f"newsroom:version:{name}"


def content_version(request) -> str:
    """The content version the page being made depends on: read once per request."""
    versions = _state(request).versions
    if CONTENT not in versions:
        versions.update(current_versions([CONTENT]))
    return versions[CONTENT]


def current_versions(names: Iterable[str]) -> dict[str, str]:
    store = _versions()
    names = list(names)
    found = store.get_many([_version_key(name) for name in names])
    versions = {}
    for name in names:
        key = _version_key(name)
        if key not in found:
            # Emptied or restarted: a new version, agreed on by add() (the first writer wins).
            store.add(key, uuid.uuid4().hex, None)
            found[key] = store.get(key)
        versions[name] = found[key]
    return versions


def _bump(names: Iterable[str]) -> None:
    _versions().set_many({_version_key(name): uuid.uuid4().hex for name in names}, None)


# Purges: a change names the keys of what it touched; once committed, the versions move and the
# shared caches are told.


class _Flush:
    """An on_commit callback sending its transaction's batch of keys."""

    def __init__(self, connection, batch: set):
        self.connection, self.batch = connection, batch

    def __call__(self):
        # The first callback of a commit sends the whole batch; the others find it empty.
        if getattr(self.connection, "_newsroom_purge", None) is self.batch:
            self.connection._newsroom_purge = None
        if self.batch:
            keys = sorted(self.batch)
            self.batch.clear()
            _purge_now(keys)


def purge(keys: Iterable[str]) -> None:
    """After the current transaction commits: refresh every page showing `keys`.

    Editorial keys move the content version; a story's comments key moves only its own. The
    keys of one transaction (an admin save touches a story, its bylines and tags; a bulk
    decision many comments) go out together, in one purge.
    """
    connection = transaction.get_connection()
    batch = getattr(connection, "_newsroom_purge", None)
    waiting = [callback for _, callback, *_ in connection.run_on_commit]
    if batch is None or not any(getattr(c, "batch", None) is batch for c in waiting):
        # None yet, or its transaction was rolled back (its callbacks are gone): a new batch.
        batch = connection._newsroom_purge = set()
    batch.update(keys)
    transaction.on_commit(_Flush(connection, batch))


def _purge_now(keys: list[str]) -> None:
    comments = [key for key in keys if key.startswith(COMMENTS_KEY_PREFIX)]
    editorial = len(comments) < len(keys)
    _bump([*comments, *([CONTENT] if editorial else [])])
    purge_backends.purge_keys(keys)


def purge_everything() -> None:
    """Every page: for changes that send no signals, such as a bulk load."""
    purge(["site"])


# The page cache.


@dataclass
class _PageState:
    """What a page being rendered depends on: versions read before its data, keys it shows."""

    versions: dict
    keys: set


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


def page_key(request) -> str:
    # Scheme and host too: pages carry absolute links (canonical, feeds, sitemaps, robots.txt).
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]
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


def add_shared_headers(response, seconds: int) -> None:
    """Public: browsers, Varnish and CDNs may keep it, and serve it while the site fails."""
    patch_cache_control(
        response,
        public=True,
        max_age=seconds,
        s_maxage=seconds,
        stale_while_revalidate=STALE_WHILE_REVALIDATE,
        stale_if_error=settings.NEWSROOM_PAGE_STALE_SECONDS,
    )


def add_private_headers(response) -> None:
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)


def _is_shared_request(request) -> bool:
    return request.method in ("GET", "HEAD") and not request.user.is_authenticated


def reader_page(*keys: str, max_age: int | None = None):
    """Cache a reader page for anonymous readers (see the module docstring); staff always get
    it fresh and private. `keys` are surrogate keys the page always shows; the view adds the
    rest with `shows()`. `max_age` overrides the lifetime given to browsers and shared caches."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _is_shared_request(request):
                response = view(request, *args, **kwargs)
                if request.user.is_authenticated:
                    add_private_headers(response)
                return response
            seconds = settings.NEWSROOM_PAGE_CACHE_SECONDS
            if seconds <= 0:
                return _render(request, view, args, kwargs, keys, max_age or 60)
            key = page_key(request)
            copy = cache.get(key)
            if copy is not None and is_fresh(copy, seconds):
                return _serve(request, copy)
            try:
                _state(request).versions.update(current_versions([CONTENT]))
                response = _render(request, view, args, kwargs, keys, max_age or seconds)
            except DatabaseError:
                if copy is None:
                    raise
                log.warning("Database unavailable: serving the last good copy of %s", request.path)
                return _serve(request, copy, stale=True)
            if is_storable(request, response):

                def store(rendered):
                    state = _state(request)
                    cache.set(
                        key,
                        _Copy(state.versions, time.time(), rendered),
                        settings.NEWSROOM_PAGE_STALE_SECONDS,
                    )

                if getattr(response, "is_rendered", True):
                    store(response)
                else:
                    # A TemplateResponse (sitemaps): stored once it has been rendered.
                    response.add_post_render_callback(store)
            return response

        return wrapped

    return decorator


def is_fresh(copy, seconds: int) -> bool:
    """Whether `copy` (anything with `versions` and `stored_at`) may still be served."""
    return (
        time.time() - copy.stored_at < seconds and current_versions(copy.versions) == copy.versions
    )


def _render(request, view, args, kwargs, keys, max_age):
    response = view(request, *args, **kwargs)
    if response.status_code not in (200, 304):
        return response
    cache_control = response.get("Cache-Control", "")
    if response.cookies or any(word in cache_control for word in _NOT_STORED):
        add_private_headers(response)  # something of this reader's own: never shared
        return response
    state = _state(request)
    response.headers["xkey"] = " ".join(sorted(state.keys | set(keys) | {"site"}))
    add_shared_headers(response, max_age)
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
    """Add ETag and Last-Modified; answer 304 when the reader already has this page."""
    if response.status_code != 200:
        return response
    etag = page_etag(response.content)
    timestamp = int(last_modified.timestamp())
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(timestamp)
    return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)


# Parts of pages that are the same whoever reads them: kept across page views while the content
# version holds, so a page rendered without a whole-page copy (the page cache off, or a copy not
# made yet) is mostly assembled, not rendered; a moderator's decision re-renders only the
# comments region (comments/templatetags/comment_tags.py).


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
