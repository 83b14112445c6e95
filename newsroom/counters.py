"""Security counters: how many times something happened within a window, shared by every
process and kept in the database (newsroom.models.SecurityCounter).

Not in the cache: Redis runs with `allkeys-lru`, so a burst of page copies can evict any key,
and an evicted counter is a lifted limit. A separate Redis database number would not help
(the eviction policy and memory limit are per server), and the database already serves every
process, the SQLite quickstart included. A count is one statement, atomic under concurrency.
"""

import hashlib
import random
from datetime import datetime, timedelta

from django.db import connections, router
from django.utils import timezone

from .models import SecurityCounter

# Expired counts are ignored and started afresh where they lie; one hit in this many also
# deletes them all, which keeps the table to the counts being kept at little cost per hit.
SWEEP_EVERY = 50


def counter_key(scope: str, value: str) -> str:
    """A fixed-length key for what may be any text a client sent (a username, an address)."""
    return f"{scope}:{hashlib.sha256(value.encode()).hexdigest()}"


def hit(key: str, window: timedelta) -> int:
    """Count one more event for `key` and return the count in the current window. A window
    starts with its first event and lasts `window`; the next event after it starts a new one."""
    now = timezone.now()
    database = router.db_for_write(SecurityCounter)
    if random.randrange(SWEEP_EVERY) == 0:
        SecurityCounter.objects.using(database).filter(expires_at__lte=now).delete()
    connection = connections[database]
    table = connection.ops.quote_name(SecurityCounter._meta.db_table)
    key_column, count, expires_at = (
        connection.ops.quote_name(name) for name in ("key", "count", "expires_at")
    )
    now_value = connection.ops.adapt_datetimefield_value(now)
    # Postgres and SQLite both take this upsert; SET reads the row as it was before.
    sql = (
        f"INSERT INTO {table} ({key_column}, {count}, {expires_at}) VALUES (%s, 1, %s) "
        f"ON CONFLICT ({key_column}) DO UPDATE SET "
        f"{count} = CASE WHEN {table}.{expires_at} > %s THEN {table}.{count} + 1 ELSE 1 END, "
        f"{expires_at} = CASE WHEN {table}.{expires_at} > %s "
        f"THEN {table}.{expires_at} ELSE excluded.{expires_at} END "
        f"RETURNING {count}"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [key, connection.ops.adapt_datetimefield_value(now + window), now_value, now_value],
        )
        return cursor.fetchone()[0]


def current(key: str) -> tuple[int, datetime | None]:
    """The count for `key` in its current window and when that window ends (0, None: none)."""
    found = (
        SecurityCounter.objects.using(router.db_for_write(SecurityCounter))
        .filter(key=key, expires_at__gt=timezone.now())
        .values_list("count", "expires_at")
        .first()
    )
    return found or (0, None)
