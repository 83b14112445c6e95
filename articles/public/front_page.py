"""The front page as readers get it: the places editors set (models/front_page.py) filled with
chosen and newest stories, by the rule the home page, the content API and the admin's overview
share."""

from django.db.models import F, Subquery, Value
from django.db.models.functions import Coalesce

from articles.models import Article, FrontPageLayout
from articles.models.front_page import MAX_PLACES, fill_places


def candidates(at_least: int, *, words: bool = True) -> tuple[int, list[Article], list[Article]]:
    """The number of places, the newest public stories (enough to fill every place, and at
    least `at_least`) and the public stories in slots (annotated with their `slot`), with what
    a card shows but bylines (prefetched by the caller with the rest); without the stories'
    words unless `words` (the content API serves them; cards do not show them).

    The number of places comes with the newest stories, so the page's query budget is the same
    as with a fixed number: as many stories as the most places can need are read, and those
    the page does not need are dropped before their bylines are fetched.
    """
    published = Article.objects.published().select_related("section", "lead_photo")
    if not words:
        published = published.without_words()
    layout = FrontPageLayout.objects.filter(pk=1).values("places")
    default = FrontPageLayout._meta.get_field("places").default
    newest = list(
        published.annotate(places=Coalesce(Subquery(layout), Value(default)))[
            : max(at_least, MAX_PLACES)
        ]
    )
    places = newest[0].places if newest else default
    slotted = list(
        published.filter(front_page_slot__isnull=False).annotate(
            slot=F("front_page_slot__position")
        )
    )
    return places, newest[: max(at_least, places)], slotted


def overview() -> tuple[int, list[dict]]:
    """The number of places and each place as it stands: the story readers see there and
    whether an editor chose it (else the newest stories fill it), for the admin's overview."""
    places, newest, slotted = candidates(0, words=False)
    return places, [
        {"position": position, "story": story, "chosen": chosen}
        for position, (story, chosen) in enumerate(fill_places(newest, slotted, places), 1)
    ]
