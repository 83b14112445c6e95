"""Telling shared caches in front of the site (Varnish) which pages changed.

Modelled on Wagtail's contrib/frontend_cache: one backend per address in NEWSROOM_PURGE_URLS,
behind one small interface. A backend's failure is logged and never breaks the editor's save:
the pages it could not purge expire on their own within NEWSROOM_PAGE_CACHE_SECONDS.
"""

import logging
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 2


class XkeyPurgeBackend:
    """Varnish with vmod_xkey (deploy/varnish/default.vcl): one PURGE request naming the keys
    in an `xkey-purge` header drops every page tagged with any of them. It carries the secret
    Varnish shares with the app servers (NEWSROOM_PURGE_SECRET), without which it is refused."""

    def __init__(self, location: str):
        parts = urlsplit(location)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"NEWSROOM_PURGE_URLS: {location!r} is not an http(s) address")
        self.location = location

    def purge(self, keys: list[str]) -> None:
        headers = {"xkey-purge": " ".join(keys)}
        if settings.NEWSROOM_PURGE_SECRET:
            headers["Purge-Secret"] = settings.NEWSROOM_PURGE_SECRET
        request = urllib.request.Request(self.location, method="PURGE", headers=headers)
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            response.read()


def backends() -> list[XkeyPurgeBackend]:
    return [XkeyPurgeBackend(location) for location in settings.NEWSROOM_PURGE_URLS]


def purge_keys(keys: list[str]) -> None:
    for backend in backends():
        try:
            backend.purge(keys)
        except (OSError, urllib.error.URLError) as error:
            log.error("Could not purge %s at %s: %s", " ".join(keys), backend.location, error)
