"""The reader's address behind the site's own proxies: what rate limits, bans and the staff
login throttle (AXES_CLIENT_IP_CALLABLE) count by."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The reader's address: the socket's, or the one our trusted proxies recorded."""
    proxies = settings.COMMENTS_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR") or None
