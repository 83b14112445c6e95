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
"""

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction

from . import purge as purge_backends

CONTENT = "content"
# The key every page carries: purging it refreshes everything.
EVERYTHING = "site"

_OWN_VERSION_PREFIXES: set[str] = set()


def keep_own_versions(prefix: str) -> None:
    """Keys starting with `prefix` get versions of their own instead of moving the content
    version (called from an app's AppConfig.ready())."""
    _OWN_VERSION_PREFIXES.add(prefix)


def has_own_version(key: str) -> bool:
    return key.startswith(tuple(_OWN_VERSION_PREFIXES))


def _versions():
    return caches["versions"] if "versions" in settings.CACHES else cache


def _version_key(name: str) -> str:
    return f"newsroom:version:{name}"


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

    The keys of one transaction (an admin save touches a story, its bylines and tags; a bulk
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
    own = [key for key in keys if has_own_version(key)]
    ordinary = len(own) < len(keys)
    _bump([*own, *([CONTENT] if ordinary else [])])
    purge_backends.purge_keys(keys)


def purge_everything() -> None:
    """Every page: for changes that send no signals, such as a bulk load."""
    purge([EVERYTHING])
