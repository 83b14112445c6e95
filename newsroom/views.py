import sys

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not: for load balancers and uptime checks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


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
