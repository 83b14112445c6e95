"""The caches of one machine without Redis (settings.CACHES): diskcache's Django cache, shared by
every worker on the machine through files and SQLite, and the versions' files."""

import contextlib
import glob
import io
import os
import pickle
import time
import zlib

from diskcache import DjangoCache
from django.core.cache.backends.filebased import FileBasedCache

from articles.caching.versions import may_be_dropped


class SharedDiskCache(DjangoCache):
    """diskcache's Django cache, its SQLite connections kept open from request to request.

    Django closes every cache when a request finishes (for backends holding a connection per
    request). This one keeps a connection per thread and reopens it after a fork by itself;
    reopening it for every request (connecting, then reading its settings back) cost more than
    reading a whole kept page from it.
    """

    def close(self, **kwargs):
        pass


class VersionFiles(FileBasedCache):
    """Django's file cache, for the versions of kept pages (settings.CACHES["versions"]): every
    request for a kept page reads a few of them, so what does not change from read to read is
    done once. A key's file name is worked out once; a file's bytes are still read every time
    (another worker may have written them), but turned back into their value only when they differ
    from the last ones read. Only strings and numbers are remembered, so no caller can change
    what the next one reads.

    Django's file cache lists its whole directory before every write, to cull it once it holds
    MAX_ENTRIES files. Here every story read gets a version of its own (its comment threads'), so
    a crawl of the archive writes a new file for nearly every page, and each write would cost
    more than the last: a write's cost would grow with the number of stories ever read. A process
    lists the directory at most once every OPTIONS["CULL_EVERY_SECONDS"] instead; MAX_ENTRIES
    stays the bound, enforced by the first write after that interval.

    A cull deletes files at random, so only what may be dropped is in that folder: the versions
    a story has of its own (articles.caching.versions.may_be_dropped). The content version and
    the marks of withdrawals are in its subfolder `kept`, which no cull lists: losing one
    would render every page again, or let a copy showing a withdrawn story be served while
    Postgres is away. They are few: the site's versions, and a mark for each withdrawal until it
    expires (the next cull removes it)."""

    _REMEMBERED = 4096
    _KEPT = "kept"

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._files = {}
        self._read = {}
        self._cull_every = float(params.get("OPTIONS", {}).get("CULL_EVERY_SECONDS", 60))
        self._next_cull = 0.0

    def _cull(self):
        now = time.monotonic()
        if now >= self._next_cull:
            self._next_cull = now + self._cull_every
            super()._cull()
            for fname in self._kept_files():  # marks past their time, which no one reads again
                with contextlib.suppress(FileNotFoundError), open(fname, "rb") as f:
                    self._is_expired(f)

    def _createdir(self):
        super()._createdir()
        os.makedirs(os.path.join(self._dir, self._KEPT), mode=0o700, exist_ok=True)

    def clear(self):
        super().clear()
        for fname in self._kept_files():
            self._delete(fname)

    def _kept_files(self) -> list[str]:
        kept = os.path.join(self._dir, self._KEPT)
        return [
            os.path.join(kept, name) for name in glob.glob(f"*{self.cache_suffix}", root_dir=kept)
        ]

    def _key_to_file(self, key, version=None):
        found = self._files.get((key, version))
        if found is None:
            if len(self._files) >= self._REMEMBERED:
                self._files.clear()
            found = super()._key_to_file(key, version)
            if not may_be_dropped(key):
                found = os.path.join(self._dir, self._KEPT, os.path.basename(found))
            self._files[key, version] = found
        return found

    def get(self, key, default=None, version=None):
        fname = self._key_to_file(key, version)
        try:
            with open(fname, "rb") as f:
                raw = f.read()
        except FileNotFoundError:
            return default
        last = self._read.get(fname)
        if last is not None and last[0] == raw:
            expiry, value = last[1:]
        else:
            content = io.BytesIO(raw)
            try:
                expiry = pickle.load(content)
            except EOFError:
                expiry = 0  # an empty file has expired, as in FileBasedCache
            value = None if _expired(expiry) else pickle.loads(zlib.decompress(content.read()))
            if isinstance(value, (str, int, float)):
                if len(self._read) >= self._REMEMBERED:
                    self._read.clear()
                self._read[fname] = (raw, expiry, value)
        if _expired(expiry):
            self._delete(fname)
            return default
        return value


def _expired(expiry) -> bool:
    return expiry is not None and expiry < time.time()
