"""Who may call the API: a valid, unrevoked key in `Authorization: Api-Key <key>`, within its
rate. Nothing else opens it: the back office's session is not an authentication class here."""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework import authentication, exceptions, permissions, throttling

from articles.models import ApiKey

KEYWORD = "Api-Key"
# Where api/served.py tells the stack it has counted this request toward its key's rate.
RATE_COUNTED = "newsroom.api_rate_counted"
WINDOW = 60


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        keyword, _, presented = header.strip().partition(" ")
        if not header or keyword.lower() != KEYWORD.lower():
            return None  # no key: HasApiKey answers 401 with the scheme to use
        key = ApiKey.objects.authenticate(presented.strip())
        if key is None:
            raise exceptions.AuthenticationFailed("This API key is not valid, or was revoked.")
        return None, key

    def authenticate_header(self, request):
        # Makes refusals 401 (with this challenge), not 403.
        return f'{KEYWORD} realm="api"'


class HasApiKey(permissions.BasePermission):
    message = "An API key is required: send it as `Authorization: Api-Key <key>`."

    def has_permission(self, request, view):
        return isinstance(request.auth, ApiKey)


class PerKeyRateThrottle(throttling.BaseThrottle):
    """NEWSROOM_API_RATE_PER_MINUTE requests a key in each clock minute (count_request)."""

    def allow_request(self, request, view):
        key = request.auth
        if not isinstance(key, ApiKey):
            return True  # refused before any throttle matters
        # Counted already when api/served.py passed the request on, over its rate.
        counted = request.META.pop(RATE_COUNTED, None) or count_request(key)
        self.retry_after = counted[1]
        return not over_rate(counted)

    def wait(self):
        return self.retry_after


def count_request(key: ApiKey) -> tuple[int, float]:
    """Count a request toward `key`'s rate: its count in this clock minute, and the seconds to
    the next. A counter per key and minute in the cache, shared by every worker and server
    through Redis."""
    now = time.time()
    window = int(now // WINDOW)
    return count(f"api:rate:{key.pk}:{window}", WINDOW + 5), (window + 1) * WINDOW - now


def over_rate(counted: tuple[int, float]) -> bool:
    return counted[0] > settings.NEWSROOM_API_RATE_PER_MINUTE


def count(counter: str, seconds: int) -> int:
    """Add one to `counter` and return it: one increment, but for the first of its window."""
    try:
        return cache.incr(counter)
    except ValueError:  # the window's first request (or the counter was evicted)
        if cache.add(counter, 1, seconds):
            return 1
        return cache.incr(counter)  # another worker made it meanwhile
