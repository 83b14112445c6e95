"""The cache with Redis (settings.CACHES when REDIS_URL is set): Django's, keeping its clients.

Django's Redis backend makes a new redis-py client for every operation (on a shared connection
pool); making one builds its table of reply handlers, some two hundred entries, which cost about a
fifth of a whole request served from a kept page. A client holds no connection of its own (the
pool does, and reopens them after a fork), so one per pool serves every operation.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _ClientPerPool(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ClientPerPool
