"""The breaking-news banner on every reader page: set by editors in the admin, on every page at
once (its save purges every page: articles/public/invalidation.py) and gone when it expires (a
page showing it is kept no longer than the banner lasts: caching.fresh_until)."""

from django.core.cache import cache

from articles import caching
from articles.models import BreakingBanner
from articles.models.banner import LIVE_BANNERS_READ

TIMEOUT = 60 * 60


def live_banners(request=None) -> list[BreakingBanner]:
    """The banners live when last read, newest first: cached by the content version (read once
    per change, not per page). A banner only ever stops being live by time, which the caller
    checks; a new or changed one moves the version."""
    if request is None:
        version = caching.current_versions([caching.CONTENT])[caching.CONTENT]
    else:
        version = caching.content_version(request)
    key = f"articles:banners:{version}"
    banners = cache.get(key)
    if banners is None:
        banners = list(BreakingBanner.objects.live()[:LIVE_BANNERS_READ])
        cache.set(key, banners, TIMEOUT)
    return banners


def current(request=None) -> BreakingBanner | None:
    """The banner the page being made shows, if any; the page holds only until it expires."""
    banner = next((banner for banner in live_banners(request) if banner.is_live), None)
    if banner is not None and request is not None:
        caching.fresh_until(request, banner.expires_at)
    return banner
