"""The front page as readers get it: the places editors set (models/front_page.py) filled with
chosen and newest stories, by the rule the home page, the content API and the admin's overview
share."""

import functools

from django.db import connection
from django.db.models import F, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles.models import Article, FrontPageLayout
from articles.models.front_page import MAX_PLACES, fill_places
from articles.models.kept_queries import AT, KeptQuery


def candidates(
    at_least: int, *, words: bool = True, parts_known: bool = False
) -> tuple[int, list[Article], list[Article]]:
    """The number of places, the newest public stories (enough to fill every place, and at
    least `at_least`) and the public stories in slots (annotated with their `slot`), with what
    a card shows but bylines (prefetched by the caller with the rest); without the stories'
    words unless `words` (the content API serves them; cards do not show them); each knowing
    whether it has corrections or contributor credits if `parts_known` (with_parts_known: the
    content API shows them).

    The number of places comes with the newest stories, and the query reads only as many as
    the page needs (its LIMIT is the larger of `at_least` and the places), so the page's query
    budget is the same as with a fixed number. Both queries are compiled once per process.
    """
    now = timezone.now()
    newest_query, slotted_query = _kept(at_least, words, parts_known)
    newest = newest_query.rows(at=now)
    places = newest[0].places if newest else _DEFAULT_PLACES
    return places, newest[: max(at_least, places)], slotted_query.rows(at=now)


_DEFAULT_PLACES = FrontPageLayout._meta.get_field("places").default


@functools.cache
def _kept(at_least: int, words: bool, parts_known: bool = False) -> tuple[KeptQuery, KeptQuery]:
    def published():
        stories = Article.objects.published(at=AT).select_related("section", "lead_photo")
        stories = stories if words else stories.without_words()
        return stories.with_parts_known() if parts_known else stories

    def newest():
        layout = FrontPageLayout.objects.filter(pk=1).values("places")
        return published().annotate(places=Coalesce(Subquery(layout), Value(_DEFAULT_PLACES)))[
            :MAX_PLACES
        ]

    def slotted():
        return (
            published()
            .filter(front_page_slot__isnull=False)
            .annotate(slot=F("front_page_slot__position"))
        )

    # No more rows than places (nor fewer than `at_least`): the layout's row read in the LIMIT.
    table = connection.ops.quote_name(FrontPageLayout._meta.db_table)
    column = connection.ops.quote_name(FrontPageLayout._meta.get_field("places").column)
    needed = (
        f"LIMIT GREATEST({int(at_least)}, COALESCE((SELECT {column} FROM {table} "
        f"WHERE id = 1), {int(_DEFAULT_PLACES)}))"
    )

    def limited(sql: str) -> str:
        head, limit, tail = sql.rpartition(f"LIMIT {MAX_PLACES}")
        return f"{head}{needed}{tail}" if limit and connection.vendor == "postgresql" else sql

    return KeptQuery(newest, edit=limited), KeptQuery(slotted)


def overview() -> tuple[int, list[dict]]:
    """The number of places and each place as it stands: the story readers see there and
    whether an editor chose it (else the newest stories fill it), for the admin's overview."""
    places, newest, slotted = candidates(0, words=False)
    return places, [
        {"position": position, "story": story, "chosen": chosen}
        for position, (story, chosen) in enumerate(fill_places(newest, slotted, places), 1)
    ]
