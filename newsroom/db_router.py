"""Reader pages read from a replica; everything else reads and writes on the primary.

The decision is made per request, before anything reads (DatabaseRoutingMiddleware): a GET or
HEAD from a reader with no cookie of ours, outside the back office, may read from a replica.
Staff (a session cookie), a reader just back from posting (the messages cookie, or the
`?comment=sent` confirmation) and every POST read from the primary, so nobody waits for
replication to see their own change, and the comment form's checks see the latest bans and
comments. Management commands and shells, outside any request, use the primary.

A replica that does not answer is skipped for DATABASE_REPLICA_RETRY_SECONDS, remembered per
process; readers then read from another replica or the primary. When the primary is down and a
replica answers, reader pages go on working while anything that writes answers 503.
"""

import contextvars
import logging
import random
import time

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError, connections
from django.urls import reverse

logger = logging.getLogger(__name__)

PRIMARY = "default"
# Set by the middleware for requests that may read from a replica.
_reader_request: contextvars.ContextVar[bool] = contextvars.ContextVar("reader", default=False)
# The database this request reads from, chosen at its first read.
_chosen: contextvars.ContextVar[str | None] = contextvars.ContextVar("chosen", default=None)
# Replica alias → time.monotonic() until which it is skipped.
_down_until: dict[str, float] = {}


def may_read_from_replica(request, primary_paths: tuple[str, ...]) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(primary_paths)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "comment" not in request.GET
    )


def mark_down(alias: str) -> None:
    _down_until[alias] = time.monotonic() + settings.DATABASE_REPLICA_RETRY_SECONDS


def answering(alias: str) -> bool:
    """Connect, or check the kept connection (once a request), within the connect timeout."""
    connection = connections[alias]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError:
        logger.warning("Database %s does not answer; skipping it for a while", alias)
        connection.close()
        mark_down(alias)
        return False
    return True


def reader_database() -> str:
    """A replica that answers, in random order to spread the load; else the primary."""
    now = time.monotonic()
    replicas = [alias for alias in settings.DATABASE_REPLICAS if _down_until.get(alias, 0) <= now]
    random.shuffle(replicas)
    return next((alias for alias in replicas if answering(alias)), PRIMARY)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _reader_request.get():
            return PRIMARY
        chosen = _chosen.get()
        if chosen is None:
            chosen = reader_database()
            _chosen.set(chosen)
        return chosen

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas hold the primary's data

    def allow_migrate(self, db, app_label, **hints):
        return db == PRIMARY


class DatabaseRoutingMiddleware:
    """Marks reader requests for the router. A reader page whose replica goes away while it is
    being made is made again from another replica or the primary. (Any other request whose
    database is down ends in newsroom.views.server_error: 503 with Retry-After.)"""

    def __init__(self, get_response):
        if not settings.DATABASE_REPLICAS:
            raise MiddlewareNotUsed  # one database: nothing to route
        self.get_response = get_response
        self.primary_paths = (reverse("admin:index"), "/preview/")

    def __call__(self, request):
        reader = _reader_request.set(may_read_from_replica(request, self.primary_paths))
        chosen = _chosen.set(None)
        try:
            return self.get_response(request)
        finally:
            _chosen.reset(chosen)
            _reader_request.reset(reader)

    def process_exception(self, request, exception):
        replica = _chosen.get()
        if not isinstance(exception, DatabaseError) or replica in (None, PRIMARY):
            return None
        logger.warning("Database %s failed during %s; reading from another", replica, request.path)
        connections[replica].close()
        mark_down(replica)
        _chosen.set(reader_database())
        # Reader pages are GETs: making one again changes nothing.
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)
