"""Noticing a reverse proxy that the settings do not know about.

Behind a proxy, every request's socket address is the proxy's. With COMMENTS_TRUSTED_PROXIES=0
the comment rate limit, reports, IP bans and the login throttle then treat all readers as one.
A system check cannot see requests, so the middleware notices the first request that arrives with
`X-Forwarded-For` while no proxy is trusted: it logs a warning at once (once per process) and
records it in the cache, where the system check `newsroom.W001` finds it at the next
`manage.py check` / `migrate` (across processes when the cache is Redis).
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.checks import Warning, register
from django.utils import timezone

logger = logging.getLogger(__name__)
SEEN_KEY = "newsroom:untrusted-forwarded-for"
SEEN_FOR_SECONDS = 7 * 24 * 3600
HINT = (
    "Set COMMENTS_TRUSTED_PROXIES to the number of proxies in front of the app that append to "
    "X-Forwarded-For (1 for one nginx or Caddy), or readers share one address for rate limits, "
    "bans and login throttling."
)


class UntrustedProxyWarningMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.warned = False

    def __call__(self, request):
        if (
            not self.warned
            and not settings.COMMENTS_TRUSTED_PROXIES
            and "HTTP_X_FORWARDED_FOR" in request.META
        ):
            self.warned = True
            proxy = request.META.get("REMOTE_ADDR", "")
            logger.warning(
                "A request from %s carries X-Forwarded-For but COMMENTS_TRUSTED_PROXIES is 0. %s",
                proxy,
                HINT,
            )
            cache.set(
                SEEN_KEY, {"proxy": proxy, "at": timezone.now().isoformat()}, SEEN_FOR_SECONDS
            )
        return self.get_response(request)


@register()
def check_untrusted_proxy(app_configs, **kwargs):
    if settings.COMMENTS_TRUSTED_PROXIES:
        return []
    try:
        seen = cache.get(SEEN_KEY)
    except Exception:  # the cache being down must not stop manage.py
        return []
    if not seen:
        return []
    return [
        Warning(
            f"Requests from {seen['proxy']} (last noticed {seen['at']}) carried X-Forwarded-For, "
            "but no proxy is trusted (COMMENTS_TRUSTED_PROXIES=0).",
            hint=HINT,
            id="newsroom.W001",
        )
    ]
