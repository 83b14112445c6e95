"""Reader pages' queries of a fixed shape, built and compiled once per process
(articles/models/kept_queries.py): the home page's section blocks, a story page's story, its
related stories and its latest-news rail, and the first page of a section, topic or author.
Each render puts in its own time and ids."""

from itertools import groupby
from operator import attrgetter

from django.http import Http404
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Author, Section
from articles.models.kept_queries import AT, ID, IDS, SINCE, TEXT, UNTIL, KeptQuery, pk_in
from articles.models.story_queries import RELATED_WINDOW

from .blocks import story_ids, with_linked_stories
from .pagination import BoundedPaginator
from .story_query import article_queryset

SECTION_BLOCK = 4
RAIL_LENGTH = 8
RELATED_STORIES = 4
# Stories on a page of a section, topic, author or search.
PER_PAGE = 12


def section_blocks(exclude: list[int]) -> list[tuple[Section, list[Article]]]:
    """The newest few stories of every section, in navigation order, in one query compiled
    once per process; their bylines are the caller's to attach (attach_bylines)."""
    stories = _SECTION_BLOCKS.rows(at=timezone.now(), ids=exclude)
    return [(section, list(group)) for section, group in groupby(stories, attrgetter("section"))]


def _section_blocks():
    return (
        Article.objects.published(at=AT)
        .exclude(pk_in(IDS))
        .newest_per_section(SECTION_BLOCK)
        .select_related("section", "lead_photo")
        .without_words()
        .order_by("section__position", "section__name", "-published_at", "-pk")
    )


# In its generic plan (kept_queries.py): it reads each section's newest the same way whatever
# its values (the time, the ids left out), yet Postgres, left to choose, plans it again for
# every render.
_SECTION_BLOCKS = KeptQuery(_section_blocks, generic=True)


def _latest_rail():
    return (
        Article.objects.published(at=AT)
        .exclude(pk=ID)
        .select_related("section")
        .without_words()[:RAIL_LENGTH]
    )


_LATEST_RAIL = KeptQuery(_latest_rail)


def related(story: Article, tag_ids: list[int]) -> tuple[list[Article], dict[int, Article]]:
    """The stories related to `story` (sharing its tags) and the public stories its cards link
    to: with cards, in one query (blocks.with_linked_stories); without, the related ones in a
    query compiled once per process."""
    around = story.published_at or timezone.now()
    since, until = around - RELATED_WINDOW, around + RELATED_WINDOW
    if story_ids(story.blocks):
        sharing = None
        if tag_ids:
            sharing = (
                Article.objects.published()
                .related_in(story.pk, tag_ids, since, until, RELATED_STORIES)
                .without_words()
            )
        # The stories the story's cards link to come with the related ones, in their query.
        return with_linked_stories(sharing, story)
    if not tag_ids:
        return [], {}
    values = {"at": timezone.now(), "since": since, "until": until, "id": story.pk}
    return _RELATED.rows(**values, ids=tag_ids), {}


def _related_stories():
    return (
        Article.objects.published(at=AT)
        .related_in(ID, IDS, SINCE, UNTIL, RELATED_STORIES)
        .without_words()
    )


# Its generic plan finds the window's stories sharing a tag for any story and tags; left to
# choose, Postgres would plan it for each story.
_RELATED = KeptQuery(_related_stories, generic=True)


def _story():
    # Slugs are unique: no LIMIT, no ordering (an unordered query is cheaper to plan).
    return article_queryset().published(at=AT).filter(slug=TEXT)


_STORY = KeptQuery(_story)


def published_story(slug: str) -> Article | None:
    """The published story at `slug` as its page reads it (story_query.py), or None."""
    found = _STORY.rows(at=timezone.now(), text=slug)
    return found[0] if found else None


def latest_rail(story: Article) -> list[Article]:
    """The newest public stories but `story`, for the latest-news rail."""
    return _LATEST_RAIL.rows(at=timezone.now(), id=story.pk)


# A section, topic or author page's subject by its slug (unique): the section with its top story.
SECTION = KeptQuery(
    lambda: Section.objects.select_related("top_story__section", "top_story__lead_photo").filter(
        slug=TEXT
    )
)
TAG = KeptQuery(lambda: Tag.objects.filter(slug=TEXT))
AUTHOR = KeptQuery(lambda: Author.objects.filter(slug=TEXT))


def by_slug(query: KeptQuery, slug: str):
    """The one row of `query` with `slug`, else 404 (as get_object_or_404 says it)."""
    found = query.rows(text=slug)
    if not found:
        raise Http404(f"No {query.model._meta.object_name} matches the given query.")
    return found[0]


# The first page of a section's, topic's or author's stories (by the field that names them),
# the one most asked for: its stories, and as many of the rest as BoundedPaginator counts, in
# queries compiled once per process. Later pages are built for each render, in the same order
# down the same index (later_pages).
LISTED_BY = ("section", "tags", "authors")


def _listed(field: str, pk=ID, at=AT):
    return Article.objects.published(at=at).listed_under(field, pk, at=at)


def _newest_first(stories):
    stories = stories.select_related("section", "lead_photo").without_words()
    return stories.order_by("-listed_at", "-created_at")


def _first_page(field: str):
    # `ids`: the story the page leads with, listed apart (none: an empty list).
    return _newest_first(_listed(field).exclude(pk_in(IDS)))[:PER_PAGE]


def _first_count(field: str):
    # As many as BoundedPaginator counts. Any of them would do, but the newest are read down
    # the list's own index: left unordered, a generic plan may scan a whole table for them.
    limit = BoundedPaginator(Article.objects.none(), PER_PAGE).limit
    listed = _listed(field).exclude(pk_in(IDS)).order_by("-listed_at")
    return listed.values_list("pk", flat=True)[:limit]


# Both in their generic plans (kept_queries.py): a section's stories are read down its own index
# ("article_section_listed_idx"), a topic's and an author's down their links' (listed_under), the
# same bounded read whatever the section, topic or author. Left to choose, Postgres plans them
# for every render, and may read the whole table to count a section's.
_FIRST_PAGES = {
    field: (
        KeptQuery(lambda f=field: _first_page(f), generic=True),
        KeptQuery(lambda f=field: _first_count(f), generic=True),
    )
    for field in LISTED_BY
}


def later_pages(field: str, pk: int, leading: Article | None = None):
    """Every public story whose `field` is `pk` (but `leading`), in page 1's order, for the
    pages after it (BoundedPaginator): read down the same index as page 1, so a page deep in a
    topic's or an author's archive walks the stories before it in that list alone, not every
    public story of the archive."""
    stories = _listed(field, pk, timezone.now())
    return _newest_first(stories.exclude(pk=leading.pk) if leading else stories)


def first_page(field: str, pk: int, leading: Article | None = None):
    """Page 1 of the public stories whose `field` is `pk` (but `leading`), as BoundedPaginator
    gives it, from the two kept queries of that field."""
    values = {"at": timezone.now(), "id": pk, "ids": [leading.pk] if leading else []}
    stories, counted = (query.rows(**values) for query in _FIRST_PAGES[field])
    return BoundedPaginator(stories, PER_PAGE).first_page(len(counted))
