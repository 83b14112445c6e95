"""Who may call the API: a valid, unrevoked key in `Authorization: Api-Key <key>`, within its
rate. Nothing else opens it: the back office's session is not an authentication class here."""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework import authentication, exceptions, permissions, throttling

from articles.models import ApiKey

KEYWORD = "Api-Key"


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
    """NEWSROOM_API_RATE_PER_MINUTE requests a key in each clock minute.

    A counter per key and minute in the cache: add() then incr() are atomic in Redis, so every
    worker and server shares one count (with local memory, the count is per process).
    """

    WINDOW = 60

    def allow_request(self, request, view):
        key = request.auth
        if not isinstance(key, ApiKey):
            return True  # refused before any throttle matters
        now = time.time()
        window = int(now // self.WINDOW)
        counter = f"api:rate:{key.pk}:{window}"
        cache.add(counter, 0, self.WINDOW + 5)
        try:
            count = cache.incr(counter)
        except ValueError:  # expired between add() and incr(): the window is over
            count = 1
        self.retry_after = (window + 1) * self.WINDOW - now
        return count <= settings.NEWSROOM_API_RATE_PER_MINUTE

    def wait(self):
        return self.retry_after
