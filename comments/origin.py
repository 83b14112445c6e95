"""Refusing cross-site forgeries of the comment form without a per-reader token.

The comment form is on shared, cached pages, so it cannot carry Django's CSRF token (that needs a
cookie per reader). Browsers say where a request comes from instead; this follows Go 1.25's
CrossOriginProtection: a POST passes when its origin is trusted, when `Sec-Fetch-Site` says
`same-origin` or `none` (typed or bookmarked), or, from older browsers without that header, when
`Origin` names this site. `cross-site` and `same-site` are refused. A request with neither
header does not come from a browser, so it is no forgery: it goes on to the spam checks.
"""

from django.conf import settings


def own_origin(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def is_cross_origin(request) -> bool:
    origin = request.headers.get("Origin")
    if origin is not None and origin in settings.CSRF_TRUSTED_ORIGINS:
        return False
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    if origin is None:
        return False
    return origin != own_origin(request)
