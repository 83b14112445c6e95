"""The front page as readers get it: the places editors set (models/front_page.py), read once
per content version like the section navigation, so the home page's query budget goes to its
stories; and the newest and chosen stories that fill them, by the rule the home page, the
content API and the admin's overview share."""

from django.core.cache import cache
from django.db.models import F

from articles import caching
from articles.models import Article, FrontPageLayout
from articles.models.front_page import fill_places

TIMEOUT = 60 * 60


def places(request=None) -> int:
    """How many places the front page has (a saved layout moves the content version)."""
    if request is None:
        version = caching.current_versions([caching.CONTENT])[caching.CONTENT]
    else:
        version = caching.content_version(request)
    key = f"articles:front-page-places:{version}"
    cached = cache.get(key)
    if cached is None:
        cached = FrontPageLayout.current().places
        cache.set(key, cached, TIMEOUT)
    return cached


def candidates(count: int, stories=None) -> tuple[list[Article], list[Article]]:
    """The `count` newest public stories and the public stories in slots (annotated with their
    `slot`), with what a card shows but bylines (prefetched by the caller with the rest)."""
    published = (stories if stories is not None else Article.objects).published()
    published = published.select_related("section", "lead_photo")
    newest = list(published[:count])
    slotted = list(
        published.filter(front_page_slot__isnull=False).annotate(
            slot=F("front_page_slot__position")
        )
    )
    return newest, slotted


def overview(count: int) -> list[dict]:
    """Every place from 1 to `count` as it stands: the story readers see there and whether an
    editor chose it (else the newest stories fill it), for the admin's overview."""
    newest, slotted = candidates(count)
    return [
        {"position": position, "story": story, "chosen": chosen}
        for position, (story, chosen) in enumerate(fill_places(newest, slotted, count), 1)
    ]
