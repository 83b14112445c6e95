"""A feed's queries, compiled once per process (KeptQuery): its stories, by what names them
(LatestStoriesFeed.listed_by), with the photos their blocks show in their rows; their bylines and
tags; and the public stories their story blocks link to. Each render puts in its own time and
ids."""

import functools

from django.db.models import F
from django.utils import timezone

from articles.models import Article, Byline, TaggedArticle
from articles.models.kept_queries import AT, ID, IDS, KeptQuery, any_of, pk_in

FEED_LENGTH = 30
# Of the bylines and tags, only what the feed writes: names (and the authors' ids, for the
# copies to drop when an author changes).
BYLINES = KeptQuery(
    lambda: (
        Byline.objects.filter(any_of("article_id", IDS))
        .order_by("position", "pk")
        .values_list("article", "author", "author__name")
    )
)
# Each story's tags in the order they were made (by id): an item's categories keep one order.
TAGS = KeptQuery(
    lambda: (
        TaggedArticle.objects.filter(any_of("content_object_id", IDS))
        .order_by("content_object", "tag")
        .values_list("content_object", "tag__name")
    )
)


def _linked_stories():
    # What a feed item's story blocks show of the public stories they link to: the headline,
    # and what the story's address is made of (item_content).
    fields = ("headline", "slug", "status", "published_at", "embargo_until")
    return (
        Article.objects.published(at=AT)
        .select_related("section")
        .only(*fields, "section__slug")
        .filter(pk_in(IDS))
    )


# Found by id whatever the ids: in a generic plan (kept_queries.py), not planned for each render.
LINKED = KeptQuery(_linked_stories, generic=True)


def linked_stories(ids) -> dict[int, Article]:
    """The public stories among `ids`, by id, as feed items' story blocks show them."""
    return {story.pk: story for story in LINKED.rows(at=timezone.now(), ids=sorted(ids))}


def _items(listed_by: str | None):
    stories = Article.objects.published(at=AT)
    if listed_by is None:
        stories = stories.alias(listed_at=F("published_at"))
    else:
        stories = stories.listed_under(listed_by, ID, at=AT)
    # With the photos their blocks show, in their rows (ArticleQuerySet.with_block_photos).
    stories = stories.select_related("section", "lead_photo").with_block_photos()
    return stories.order_by("-listed_at", "-pk")[:FEED_LENGTH]


# A feed's stories, by what names them (LatestStoriesFeed.listed_by), in a query compiled once
# per process: the feed of all stories and those of a section, topic or author. Each in its
# generic plan (kept_queries.py): the newest are read down the publication index, a section's
# down its own, a topic's or an author's down their links' (listed_under), the same bounded
# read whatever the time or subject.
ITEMS = {
    listed_by: KeptQuery(functools.partial(_items, listed_by), generic=True)
    for listed_by in (None, "section", "tags", "authors")
}
