"""The app's own copies of API answers, kept like reader pages (caching/pages.py): under the
answer's address, its Accept header (which chooses the format) and the consumer class of the key
it was made for, with the content version it was made from, for NEWSROOM_PAGE_CACHE_SECONDS.
A copy is served only after the key (from its kept entry: no query), its rate and the parameters
were checked. api/served.py serves the finished answers made from them before Django runs."""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from articles import caching


@dataclass
class Answer:
    """A rendered answer and what it shows: what a copy holds."""

    content: bytes
    content_type: str
    shows: set
    last_modified: object
    versions: dict
    stored_at: float


def _key(request) -> str:
    # Scheme and host too: answers carry absolute links. The Accept header as sent (the format
    # asked for, unless the address names one): the answer varies on it (Vary: Accept).
    address = "|".join(
        [
            request.auth.consumer_class,
            request.META.get("HTTP_ACCEPT", ""),
            request.build_absolute_uri(),
        ]
    )
    return f"articles:api:{hashlib.sha256(address.encode()).hexdigest()[:32]}"


def kept(request) -> Answer | None:
    seconds = settings.NEWSROOM_PAGE_CACHE_SECONDS
    if seconds <= 0:
        return None
    copy = cache.get(_key(request))
    return copy if copy is not None and caching.is_fresh(copy, seconds) else None


def versions_now() -> dict:
    """Read before the answer's data: a change committed meanwhile makes its copy stale."""
    return caching.current_versions([caching.CONTENT])


def keep(request, answer: Answer) -> None:
    if settings.NEWSROOM_PAGE_CACHE_SECONDS > 0:
        cache.set(_key(request), answer, settings.NEWSROOM_PAGE_STALE_SECONDS)


def new_answer(response, shows, last_modified, versions) -> Answer:
    return Answer(
        response.rendered_content,
        response["Content-Type"],
        set(shows),
        last_modified,
        versions,
        time.time(),
    )
