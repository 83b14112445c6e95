"""The cache of one machine without Redis (settings.CACHES): diskcache's Django cache, shared by
every worker on the machine through files and SQLite."""

from diskcache import DjangoCache


class SharedDiskCache(DjangoCache):
    """diskcache's Django cache, its SQLite connections kept open from request to request.

    Django closes every cache when a request finishes (for backends holding a connection per
    request). This one keeps a connection per thread and reopens it after a fork by itself;
    reopening it for every request (connecting, then reading its settings back) cost more than
    reading a whole kept page from it.
    """

    def close(self, **kwargs):
        pass
