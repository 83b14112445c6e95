import sys
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.static import serve


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


# Renditions are named after their content (articles/renditions.py): a changed photo gets new
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
