"""What the API reads, built in one place: published content only, through
`Article.objects.published()`, with everything a story shows fetched in a fixed number of
queries however many stories an answer holds."""

from collections import defaultdict

from django.db import connections
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from taggit.models import Tag

from articles.models import (
    Article,
    Author,
    Byline,
    Correction,
    Photo,
    Section,
    TaggedArticle,
)
from articles.models.front_page import front_page as arrange_front_page
from articles.models.kept_queries import AT, KeptQuery, attach_bylines, attach_many_tags
from articles.models.photos import PhotoQuerySet
from articles.models.story_parts import attach_corrections_and_contributors
from articles.public.front_page import candidates as front_page_candidates
from articles.public.invalidation import (
    author_key,
    keys_for_stories,
    photo_key,
    story_key,
    tag_key,
)

from . import params
from .serializers import HAS_KIND

STORY_FILTERS = frozenset(
    {"section", "topic", "author", "published_after", "published_before", "updated_since"}
    | ({"kind"} if HAS_KIND else set())
)
# As on the home page: the newest stories fill the places editors left empty.
FRONT_PAGE_CANDIDATES = 12


def with_parts(stories):
    """Stories with their section and lead photo joined, each knowing whether it has
    corrections or contributor credits (ArticleQuerySet.with_parts_known); attach_parts()
    adds the rest to those an answer shows."""
    return stories.select_related("section", "lead_photo").with_parts_known()


def attach_parts(stories: list) -> list:
    """`stories`' bylines and topics, where the story shape reads them, a query each compiled
    once per process (a prefetch of taggit's topics also builds a queryset for each story); and
    the corrections and contributor credits of those of `with_parts()` that have some, a query
    each (the others' are known to be empty: most stories have neither)."""
    attach_bylines(stories)
    attach_many_tags(stories)
    attach_corrections_and_contributors(stories)
    return stories


def _one(model, query, name: str):
    value = params.slug(query, name)
    if value is None:
        return None
    found = model.objects.filter(slug=value).first()
    if found is None:
        params.refuse(name, f"No {name} with the slug “{value}”.")
    return found


def filtered_stories(query):
    """Published stories matching the list's filters, newest first, and the surrogate keys the
    answer depends on besides its stories' own: a story joining any list purges "latest"."""
    stories = Article.objects.published()
    shows = {"latest"}
    if section := _one(Section, query, "section"):
        stories = stories.filter(section=section)
    if tag := _one(Tag, query, "topic"):
        stories = stories.filter(
            Exists(TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag=tag))
        )
        shows.add(tag_key(tag.pk))
    if author := _one(Author, query, "author"):
        stories = stories.filter(
            Exists(Byline.objects.filter(article=OuterRef("pk"), author=author))
        )
        shows.add(author_key(author.pk))
    if HAS_KIND and (kind := query.get("kind")) is not None:
        if kind not in Article.Kind.values:
            params.refuse("kind", f"One of: {', '.join(Article.Kind.values)}.")
        stories = stories.filter(kind=kind)
    if after := params.moment(query, "published_after"):
        stories = stories.filter(published_at__gte=after)
    if before := params.moment(query, "published_before"):
        stories = stories.filter(published_at__lt=before)
    if since := params.moment(query, "updated_since"):
        stories = stories.filter(Q(updated_at__gte=since) | Q(published_at__gte=since))
    return stories.order_by("-published_at", "-pk"), shows


def keys_shown(stories) -> set[str]:
    """A story shows itself, its section, authors and topics (attach_parts)."""
    keys = keys_for_stories(stories)
    keys.update(tag_key(tag.pk) for story in stories for tag in story.tags.all())
    return keys


def sections():
    return Section.objects.order_by("position", "name")


def topics():
    """Topics at least one published story has (as topic pages: others are 404 there)."""
    public = TaggedArticle.objects.filter(
        tag=OuterRef("pk"), content_object__in=Article.objects.published()
    )
    return Tag.objects.filter(Exists(public)).order_by("name", "pk")


def topic_keys(tags) -> set[str]:
    return {"feeds", *(tag_key(tag.pk) for tag in tags)}


def authors():
    public = Byline.objects.filter(author=OuterRef("pk"), article__in=Article.objects.published())
    return Author.objects.filter(Exists(public)).order_by("name", "pk")


def author_keys(authors) -> set[str]:
    return {"feeds", *(author_key(author.pk) for author in authors)}


def corrections():
    return Correction.objects.published().select_related("article__section")


def correction_keys(corrections) -> set[str]:
    return {story_key(correction.article_id) for correction in corrections}


def front_page():
    """The lead and top stories as the home page shows them (models/front_page.py)."""
    places, newest, slotted = front_page_candidates(FRONT_PAGE_CANDIDATES, parts_known=True)
    lead, top = arrange_front_page(newest, slotted, places)
    # Only the stories shown get their parts.
    attach_parts([story for story in (lead, *top) if story])
    return lead, top


def photos():
    """Photos a published story shows (as lead photo, social image or inside its blocks), and
    only those: a draft's, a scheduled or embargoed story's photo is not public yet. Newest
    upload first."""
    shown = Photo.objects.shown_by(Article.objects.published().order_by())
    return shown.order_by("-uploaded_at", "-pk")


# A photo answer names at most this many of the stories showing it: a file photo (a minister's
# portrait) can be in thousands, and the answer, its surrogate keys and the work of making it
# must not grow with the archive.
STORIES_PER_PHOTO = 20


def stories_showing(photos) -> dict[int, list[int]]:
    """The newest STORIES_PER_PHOTO published stories showing each of `photos` (lead photo,
    social image or in their blocks), newest first, by photo id, in one query."""
    wanted = sorted({photo.pk for photo in photos})
    if not wanted:
        return {}
    published = Article.objects.published().order_by()
    if connections[published.db].vendor == "postgresql":
        rows = _newest_uses_by_photo(published, wanted)
    else:
        rows = _all_uses_ranked(published, wanted)
    showing = defaultdict(list)
    for photo, story in rows:
        showing[photo].append(story)
    return showing


def _newest_use(field: str) -> KeptQuery:
    """The newest STORIES_PER_PHOTO published stories showing the photo `wanted.photo` by
    `field`, compiled once per process: the same SQL for every answer but the time."""
    photo = RawSQL("wanted.photo", ())
    return KeptQuery(
        lambda: (
            Article.objects.published(at=AT)
            .filter(**{field: photo})
            .order_by("-published_at", "-pk")
            .values_list("pk", "published_at")[:STORIES_PER_PHOTO]
        )
    )


_NEWEST_USES = [_newest_use(field) for field in PhotoQuerySet.STORY_FIELDS]


def _newest_uses_by_photo(published, wanted) -> list[tuple[int, int]]:
    """Postgres: for each photo, the newest few stories of each way it is shown, each read in
    order from an index ("article_lead_photo_pub_idx", "article_social_image_pub_idx"; a
    block photo's uses through its links), so the cost follows the few read, not how many
    stories show the photo. `published` names the database to ask: the stories are those of
    the kept queries (_NEWEST_USES), published by now."""
    now = timezone.now()
    union, params = _union([use.sql(at=now) for use in _NEWEST_USES], parenthesised=True)
    sql = (
        "SELECT wanted.photo, uses.story FROM unnest(%s) AS wanted (photo)"
        f" CROSS JOIN LATERAL (SELECT story, published_at FROM ({union}) AS ways (story,"
        " published_at) ORDER BY published_at DESC, story DESC LIMIT %s) AS uses"
        " ORDER BY wanted.photo, uses.published_at DESC, uses.story DESC"
    )
    return _fetch(published.db, sql, [wanted, *params, STORIES_PER_PHOTO])


def _all_uses_ranked(published, wanted) -> list[tuple[int, int]]:
    """Elsewhere (SQLite, the quickstart, has no LATERAL): every use of the photos, each
    photo's ranked by a window."""
    uses = [
        published.filter(**{f"{field}__in": wanted}).values_list(field, "pk", "published_at")
        for field in PhotoQuerySet.STORY_FIELDS
    ]
    # No ORDER BY or LIMIT in them.
    union, params = _union([use.query.sql_with_params() for use in uses], parenthesised=False)
    # The uses' columns named by the CTE: SQLite names no columns after a subquery's alias.
    ranked = (
        f"WITH uses (photo, story, published_at) AS ({union})"
        " SELECT photo, story FROM (SELECT photo, story, row_number() OVER"
        " (PARTITION BY photo ORDER BY published_at DESC, story DESC) AS place"
        " FROM uses) AS ranked WHERE place <= %s ORDER BY photo, place"
    )
    return _fetch(published.db, ranked, [*params, STORIES_PER_PHOTO])


def _union(parts: list[tuple[str, list]], *, parenthesised: bool) -> tuple[str, list]:
    """The SQL of `parts` (each SQL and its parameters) joined by UNION, and its parameters."""
    union = " UNION ".join(f"({sql})" if parenthesised else sql for sql, _ in parts)
    return union, [param for _, part_params in parts for param in part_params]


def _fetch(db: str, sql: str, params: list) -> list[tuple]:
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def photo_keys(photos, showing: dict[int, list[int]]) -> set[str]:
    """A photo answer shows the photos and which stories show them: a photo's change purges it,
    a story's too, and "latest" (any public story's change) covers a photo joining or leaving."""
    keys = {"latest", *(photo_key(photo.pk) for photo in photos)}
    keys.update(story_key(pk) for stories in showing.values() for pk in stories)
    return keys
