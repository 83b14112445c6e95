"""What identifies the current content of cached pages, and purges that move it.

- The content version is changed by every change that names an ordinary key: every page starts
  afresh, which is cheap because such changes are rare.
- A key whose prefix was registered with `keep_own_versions()` has a version of its own, moved
  only when that key is purged: only the pages depending on it start afresh (the comments app
  registers its keys, so a busy comment queue leaves the rest of the site cached).

Versions live in the "versions" cache, shared by every process (Redis, or a directory of files
with the local-memory cache): a change shows on the next request in every worker. A version that
is missing (the cache was emptied or restarted) is replaced by a new random one: every page is
rendered again once, never served from before the change.

Purges go out after the transaction commits, to the versions and to the shared caches in front
of the site (caching/purge.py).

A purge refreshes pages; a withdrawal (`withdraw()`) also says that what a key names is no longer
public: the last good copies kept to serve while the database is away (pages.py) are not served
if they showed it. Each withdrawn key is marked with the time of its withdrawal, in the versions
cache, for as long as copies are kept (NEWSROOM_PAGE_STALE_SECONDS); a copy rendered before the
mark is refused. Copies older than the versions cache itself (emptied or restarted: its marks
may be lost) are refused too.
"""

import threading
import time
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver

from . import purge as purge_backends

CONTENT = "content"
# The key every page carries: purging it refreshes everything.
EVERYTHING = "site"
# The key every "not found" answer carries: purged when something new may be found.
MISSING = "missing"
# Copies rendered this soon before a withdrawal's mark count as rendered before it: the clocks
# of the servers sharing a cache may differ by this much.
CLOCK_SKEW_SECONDS = 30
# A version that moves only when the versions cache is emptied or restarted, losing the marks of
# withdrawals: pages depend on it, so a copy from before then is never served stale.
MARKS = "withdrawal-marks"

_OWN_VERSION_PREFIXES: set[str] = set()


def keep_own_versions(prefix: str) -> None:
    """Keys starting with `prefix` get versions of their own instead of moving the content
    version (called from an app's AppConfig.ready())."""
    _OWN_VERSION_PREFIXES.add(prefix)


def has_own_version(key: str) -> bool:
    return key.startswith(tuple(_OWN_VERSION_PREFIXES))


# Each thread's caches, found once: Django's handler looks them up in a context-local registry
# on every use, which costs as much as a whole local read of a kept answer. A change of
# settings.CACHES (tests) starts a new generation.
_stores = threading.local()
_generation = 0


@receiver(setting_changed)
def _forget_stores(setting, **kwargs):
    global _generation
    if setting == "CACHES":
        _generation += 1


def stores():
    """The default cache and the versions' own (the same one when there is no separate one),
    and whether the versions live beside everything else (one trip reads both)."""
    found = getattr(_stores, "found", None)
    if found is None or found[0] != _generation:
        configured = settings.CACHES
        shared = configured.get("versions", configured["default"]) == configured["default"]
        versions = caches["versions"] if "versions" in configured else caches["default"]
        found = _stores.found = (_generation, caches["default"], versions, shared)
    return found[1:]


def _versions():
    return stores()[1]


def shared_store():
    """The cache every process and server shares (the versions' own: Redis, or a directory of
    files beside a local-memory cache), for what must change for all of them at once."""
    return _versions()


_VERSION_PREFIX = "newsroom:version:"


def _version_key(name: str) -> str:
    return f"{_VERSION_PREFIX}{name}"


def may_be_dropped(key: str) -> bool:
    """Whether a versions store short of room may drop `key` (newsroom.disk_cache): the version
    of a key with one of its own (a story's comment threads), whose loss only has that key's
    pages rendered again. Not the content version, whose loss renders every page again, nor the
    marks of withdrawals or their version, whose partial loss would let a copy showing a
    withdrawn story be served while the database is away."""
    return key.startswith(_VERSION_PREFIX) and has_own_version(key[len(_VERSION_PREFIX) :])


# The versions nearly every page depends on: read with a kept page or answer when they share a
# cache (read_with_versions).
USUAL = (CONTENT, MARKS)


def read_with_versions(key: str):
    """What the default cache keeps under `key`, and the versions of USUAL found beside it: in
    one trip when the versions live in the same cache, else none (current_versions reads them)."""
    default, _, shared = stores()
    if not shared:
        return default.get(key), {}
    names = [_version_key(name) for name in USUAL]
    found = default.get_many([key, *names])
    return found.get(key), {
        name: found[version_key]
        for name, version_key in zip(USUAL, names, strict=True)
        if version_key in found
    }


def current_versions(names: Iterable[str], known: dict | None = None) -> dict[str, str]:
    """The current versions of `names`; those in `known` were read just now (read_with_versions)."""
    store = _versions()
    names = list(names)
    if known:
        found = {_version_key(n): known[n] for n in names if n in known}
        missing = [_version_key(name) for name in names if name not in known]
        if missing:
            found.update(store.get_many(missing))
    else:
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


def _withdrawn_key(name: str) -> str:
    return f"newsroom:withdrawn:{name}"


def _mark_withdrawn(names: list[str]) -> None:
    now = time.time()
    _versions().set_many(
        {_withdrawn_key(name): now for name in names}, settings.NEWSROOM_PAGE_STALE_SECONDS
    )


def may_serve_stale(keys: Iterable[str], versions: dict, rendered_from: float) -> bool:
    """Whether a copy showing `keys`, rendered with `versions` from data read after
    `rendered_from`, may be served while it is not fresh: the marks of withdrawals kept since
    it was rendered, and none of its keys withdrawn after that."""
    store = _versions()
    keys = list(keys)
    if not keys or MARKS not in versions or current_versions([MARKS]) != {MARKS: versions[MARKS]}:
        return False
    marked = store.get_many([_withdrawn_key(name) for name in keys]).values()
    return all(when < rendered_from - CLOCK_SKEW_SECONDS for when in marked)


def _bump(names: Iterable[str]) -> None:
    _versions().set_many({_version_key(name): uuid.uuid4().hex for name in names}, None)


class _Batch:
    """The keys one transaction purges, and those of them it withdraws."""

    def __init__(self):
        self.keys, self.withdrawn = set(), set()

    def __bool__(self):
        return bool(self.keys)


class _Flush:
    """An on_commit callback sending its transaction's batch of keys."""

    def __init__(self, connection, batch: _Batch):
        self.connection, self.batch = connection, batch

    def __call__(self):
        # The first callback of a commit sends the whole batch; the others find it empty.
        if getattr(self.connection, "_newsroom_purge", None) is self.batch:
            self.connection._newsroom_purge = None
        if self.batch:
            keys, withdrawn = sorted(self.batch.keys), sorted(self.batch.withdrawn)
            self.batch.keys.clear()
            self.batch.withdrawn.clear()
            _purge_now(keys, withdrawn)


def purge(keys: Iterable[str], withdrawn: Iterable[str] = ()) -> None:
    """After the current transaction commits: refresh every page showing `keys`.

    The keys of one transaction (an admin save touches a story, its bylines and tags; a bulk
    decision many comments) go out together, in one purge.
    """
    connection = transaction.get_connection()
    batch = getattr(connection, "_newsroom_purge", None)
    waiting = [callback for _, callback, *_ in connection.run_on_commit]
    if batch is None or not any(getattr(c, "batch", None) is batch for c in waiting):
        # None yet, or its transaction was rolled back (its callbacks are gone): a new batch.
        batch = connection._newsroom_purge = _Batch()
    withdrawn = set(withdrawn)
    batch.keys.update(keys, withdrawn)
    batch.withdrawn.update(withdrawn)
    transaction.on_commit(_Flush(connection, batch))


def withdraw(keys: Iterable[str]) -> None:
    """After the current transaction commits: what `keys` name is no longer public. Pages
    showing them are refreshed, and their copies are never served again, not even while the
    database is away."""
    purge((), withdrawn=keys)


def _purge_now(keys: list[str], withdrawn: list[str] = ()) -> None:
    if withdrawn:
        _mark_withdrawn(withdrawn)  # before the versions move: no copy is served in between
    own = [key for key in keys if has_own_version(key)]
    ordinary = len(own) < len(keys)
    _bump([*own, *([CONTENT] if ordinary else [])])
    purge_backends.purge_keys(keys)


def purge_everything() -> None:
    """Every page: for changes that send no signals, such as a bulk load."""
    purge([EVERYTHING])
