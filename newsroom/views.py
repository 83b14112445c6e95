import sys
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import DatabaseError, connections
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.static import serve

# Seconds the replica is behind: 0 when it has replayed all it received (an idle primary sends
# nothing, and the last replayed transaction's age would then grow without any lag).
REPLICA_LAG_SQL = """
    SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) END
"""


def probe(alias: str, sql: str = "SELECT 1"):
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]
    except DatabaseError:
        connections[alias].close()
        return None


@require_safe
@never_cache
def healthz(request):
    """For load balancers and uptime checks: 200 while this server can serve readers.

    503 when no database answers. With read replicas, a server whose primary is down but which
    reaches a replica still serves reader pages: 200 with "status": "read-only" (writes answer
    503 meanwhile). Each replica's lag behind the primary is reported in seconds.
    """
    primary = probe("default") is not None
    replicas = {}
    for alias in settings.DATABASE_REPLICAS:
        lag = probe(alias, REPLICA_LAG_SQL)
        replicas[alias] = (
            {"status": "ok", "lag_seconds": round(float(lag), 3)}
            if lag is not None
            else {"status": "unreachable"}
        )
    readable = primary or any(replica["status"] == "ok" for replica in replicas.values())
    body = {
        "status": "ok" if primary else "read-only" if readable else "error",
        "database": "ok" if primary else "unreachable",
    }
    if replicas:
        body["replicas"] = replicas
    return JsonResponse(body, status=200 if readable else 503)


# A page not found may be a story about to be published, or scheduled: readers and caches keep
# the answer briefly, and a cache that purges (Varnish) files it under `missing`, which a story
# becoming public purges (articles' invalidation), and `site`, like every reader page.
NOT_FOUND_SECONDS = 10
NOT_FOUND_KEYS = "missing site"


def page_not_found(request, exception):
    response = defaults.page_not_found(request, exception)
    user = getattr(request, "user", None)
    if request.method in ("GET", "HEAD") and not (user and user.is_authenticated):
        patch_cache_control(
            response, public=True, max_age=NOT_FOUND_SECONDS, s_maxage=NOT_FOUND_SECONDS
        )
        response.headers["xkey"] = NOT_FOUND_KEYS
    else:
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
    return response


RETRY_AFTER_SECONDS = 30


def server_error(request):
    """500, or 503 with Retry-After when the database is away: readers are told to come back,
    and load balancers and caches in front (stale-if-error) know the failure is temporary."""
    error = sys.exc_info()[1]
    if isinstance(error, DatabaseError):
        response = render(request, "unavailable.html", status=503)
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    else:
        response = render(request, "500.html", status=500)
    add_never_cache_headers(response)
    return response


# Renditions are named after their content (articles/photos/renditions.py): a changed photo gets new
# names, so a copy may be kept for a year without asking again. Originals keep their name if a
# file is replaced in storage, so they are reused for an hour only.
RENDITION_CACHE_CONTROL = "public, max-age=31536000, immutable"
ORIGINAL_CACHE_CONTROL = "public, max-age=3600"


@require_safe
def media(request, path):
    """Uploaded photos and their renditions, when the app serves them (DJANGO_SERVE_MEDIA)."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = (
        RENDITION_CACHE_CONTROL if path.startswith("renditions/") else ORIGINAL_CACHE_CONTROL
    )
    return response


@cache
def favicon_bytes() -> bytes:
    return Path(finders.find("favicon.ico")).read_bytes()


@require_safe
def favicon(request):
    """/favicon.ico, for clients that ask there; pages link the versioned static copy."""
    response = HttpResponse(favicon_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response
