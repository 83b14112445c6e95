"""How stories are found: the published rule and the lists pages read, as queryset methods."""

import functools
import operator
from datetime import timedelta

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, models
from django.db.models import Exists, F, Func, OuterRef, Q, Subquery, Window
from django.db.models.expressions import Col, RawSQL
from django.db.models.functions import Coalesce, Greatest, JSONArray, JSONObject, RowNumber
from django.db.models.lookups import Exact
from django.utils import timezone

from .bylines import Byline, bylines_prefetch
from .embed_previews import EmbedPreview
from .kept_queries import any_of
from .photos import PhotoQuerySet
from .sections import Section
from .tags import TaggedArticle


def change_time():
    """A published story's `date_modified` in SQL: its visible revision time, else publication.

    The sitemaps' lastmod; "article_latest_change_idx" and "article_section_change_idx" index it.
    """
    return Coalesce("revised_at", "published_at")


def modified_time_sql():
    """`modified_time` in SQL, exactly: the revision time or publication, whichever is later
    (change_time(), the indexed form, gives a revision time even when it is the earlier).
    A missing revision time stands in as publication: GREATEST with a NULL is NULL on SQLite,
    where Postgres passes over it."""
    return Greatest("published_at", Coalesce("revised_at", "published_at"))


class W3CText(Func):
    """A time as the text `seo.w3c_datetime` writes of it as the database gives it (in UTC): to
    the second, "+00:00". Written by the database where a page writes thousands (a sitemap's
    lastmods): each read as a time, then written out again, costs more than the rest of its row.
    """

    output_field = models.CharField()

    def as_postgresql(self, compiler, connection, **extra):
        template = (
            """to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')"""
        )
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite keeps a time as its UTC text; the query's parameters make "%%" a "%".
        template = "strftime('%%%%Y-%%%%m-%%%%dT%%%%H:%%%%M:%%%%S+00:00', %(expressions)s)"
        return self.as_sql(compiler, connection, template=template, **extra)


# Related stories come from this long before or after a story (see related_to).
RELATED_WINDOW = timedelta(days=30)
# The stories linked to any of some tags and published in a window but one, each with how many
# of the tags it shares and its time (a link carries its story's), by the tag links alone
# ("tagged_story_time_idx"), most shared first, then newest. OFFSET 0 keeps the query around it
# from folding its conditions in: it asks them of the best candidates, in this order, only until
# it has enough.
_SHARING_IN_WINDOW = (
    "SELECT content_object_id AS id, COUNT(*) AS shared, MAX(story_published_at) AS at"
    f" FROM {TaggedArticle._meta.db_table}"
    " WHERE tag_id = ANY(%s) AND story_published_at BETWEEN %s AND %s AND content_object_id <> %s"
    " GROUP BY content_object_id ORDER BY shared DESC, at DESC, id DESC OFFSET 0"
)


class _StoryTimeOnLink(models.Expression):
    """A story's publication time as the link to its topic or author carries it (migrations
    0024, 0026): the column of the link table the query has joined, under whatever alias the
    query gave it (and moves it to, as a subquery)."""

    output_field = models.DateTimeField()

    def __init__(self, link_model):
        super().__init__()
        self.table = link_model._meta.db_table
        self.column = models.DateTimeField()
        self.column.set_attributes_from_name("story_published_at")

    def resolve_expression(self, query=None, *args, **kwargs):
        alias = next(a for a, join in query.alias_map.items() if join.table_name == self.table)
        return Col(alias, self.column, self.output_field)


class _Word(models.Value):
    """A word of the code's own (a status) written into the SQL, not sent as a parameter: a
    prepared statement's generic plan (kept_queries.py) then knows it, and may read the indexes
    made for it alone (article_published_cover_idx and the others of published stories)."""

    def as_sql(self, compiler, connection):
        if not self.value.isidentifier():
            raise ValueError(f"Not a word to write into SQL: {self.value!r}")
        return f"'{self.value}'", []


@functools.cache
def _status_is(status: str) -> Exact:
    """`status = '<status>'` (_Word), made once: each query resolves a copy of its own."""
    return Exact(F("status"), _Word(status))


# The story's time as the links that carry it give it, by the field that joins them (Postgres
# only). Made once: resolving one changes nothing in it.
_STORY_TIME_ON_LINK = {"tags": _StoryTimeOnLink(TaggedArticle), "authors": _StoryTimeOnLink(Byline)}


class ArticleQuerySet(models.QuerySet):
    def published(self, at=None):
        """The one definition of what the public may see (at `at`, else now).

        Never a story under embargo: a published story's time is never before its embargo (the
        constraint "article_published_after_embargo"), so a time that has passed means its
        embargo has too. Filtering on embargo_until as well would say nothing more, and would
        cost the deep list pages their index-only scan (articles/public/pagination.py).
        """
        at = timezone.now() if at is None else at
        return self.filter(_status_is(self.model.Status.PUBLISHED), published_at__lte=at)

    def scheduled(self):
        return self.filter(status=self.model.Status.PUBLISHED, published_at__gt=timezone.now())

    def under_embargo(self):
        """Stories nobody may publish yet, whatever their status: the desk lists them."""
        return self.filter(embargo_until__gt=timezone.now())

    # What no story card shows: the story's words, long on a real story (blocks are JSON, parsed
    # for each row read), and what only its own page and the back office read.
    NOT_ON_CARDS = ("blocks", "body", "contributor_note", "meta_description", "social_headline")

    def without_words(self):
        """Stories as cards and rails show them: without NOT_ON_CARDS."""
        return self.defer(*self.NOT_ON_CARDS)

    def for_cards(self, *, words: bool = False):
        """Everything a story card shows (section, lead photo, bylines) in two queries; with
        `words`, the story's blocks and body too (a feed's items carry them)."""
        stories = self.select_related("section", "lead_photo").prefetch_related(bylines_prefetch())
        return stories if words else stories.without_words()

    def listed_under(self, field: str, value, at):
        """These stories whose `field` (section, tags or authors) is `value`, with `listed_at`
        to list them by, newest first: their publication time (no later than `at`).

        On Postgres a topic's or an author's is the copy of it their link to the story carries,
        so their newest are read down the link's own index ("tagged_story_time_idx",
        "byline_story_time_idx"): the same short read for a topic of one story as for one of
        thousands, where down the publication index a rare one means the whole archive. One
        plan then serves them all (a generic plan, kept_queries.py)."""
        stories = self.filter(**{field: value})
        on_link = _STORY_TIME_ON_LINK.get(field)
        if on_link is None or connection.vendor != "postgresql":
            return stories.alias(listed_at=F("published_at"))
        return stories.alias(listed_at=on_link).filter(listed_at__lte=at)

    def newest_per_section(self, count: int):
        """The `count` newest of these stories in each section (home page section blocks).

        On Postgres, a correlated ARRAY(… LIMIT count) per section, unnested: each is an index
        scan that stops after `count` rows, so the cost grows with sections, not with the
        archive. SQLite (the quickstart) numbers every story with a window function instead.
        """
        newest_first = [F("published_at").desc(), F("pk").desc()]
        if connection.vendor != "postgresql":
            numbered = Window(RowNumber(), partition_by=F("section"), order_by=newest_first)
            return (
                self.filter(section__isnull=False).annotate(place=numbered).filter(place__lte=count)
            )
        newest = self.filter(section=OuterRef("pk")).order_by(*newest_first).values("pk")
        unnest = Func(ArraySubquery(newest[:count]), function="unnest")
        story_ids = Section.objects.order_by().values(story=unnest)
        return self.model.objects.filter(pk__in=story_ids)

    def with_parts_known(self):
        """Each story with when its first correction is (`first_correction_at`, due or not: a
        page compares it with the time it is made) and whether it has contributors
        (`has_contributors`), in its own row: attach_corrections_and_contributors() then asks
        only for the stories that have some."""
        mine = {"article": OuterRef("pk")}
        Correction = self.model.corrections.rel.related_model
        Contributor = self.model.contributors.rel.related_model
        first_correction = (
            Correction.objects.filter(**mine).order_by("published_at").values("published_at")[:1]
        )
        return self.annotate(
            first_correction_at=Subquery(first_correction),
            has_contributors=Exists(Contributor.objects.filter(**mine)),
        )

    def with_block_photos(self):
        """Each story carrying, in its own row, the photos its blocks show (`block_photo_rows`,
        read by Photo.from_json): a story page shows them without a query of their own, however
        many photo and gallery blocks it has. Only on Postgres; elsewhere they are asked for."""
        if connection.vendor != "postgresql":
            return self
        Photo = self.model.block_photos.field.related_model
        rows = Photo.objects.filter(shown_in_blocks=OuterRef("pk")).order_by()
        return self.annotate(block_photo_rows=ArraySubquery(rows.values(row=Photo.as_json())))

    def with_embed_previews(self):
        """Each story carrying, in its own row, what providers said of the videos it embeds
        (`embed_preview_rows`: url, title, thumbnail): its structured data names them without
        a query of its own. Only on Postgres; elsewhere a page goes without them."""
        if connection.vendor != "postgresql":
            return self
        # A preview belongs to a story whose blocks contain {"url": its url}.
        previews = EmbedPreview.objects.annotate(probe=JSONArray(JSONObject(url="url")))
        mine = previews.filter(probe__contained_by=OuterRef("blocks")).order_by()
        return self.annotate(
            embed_preview_rows=ArraySubquery(mine.values(row=EmbedPreview.as_json()))
        )

    def showing(self, photo):
        """Stories that show `photo` (a Photo or its id) in any of the ways a story shows one
        (PhotoQuerySet.STORY_FIELDS: lead, social image, inside its blocks)."""
        shown = (Q(**{field: photo}) for field in PhotoQuerySet.STORY_FIELDS)
        return self.filter(functools.reduce(operator.or_, shown)).distinct()

    def related_to(self, article, tag_ids: list[int], count: int):
        """The `count` stories sharing the most of `tag_ids` with `article`, newest first among
        equals.

        Only stories published within RELATED_WINDOW of the story, before or after, are
        candidates: related stories are the ones from its news cycle. The rule also bounds the
        query, which otherwise counts every story ever given a popular tag. On Postgres the
        candidates are the stories the tags' own links find in the window (related_in), so the
        cost follows how much of the window shares a tag, not how much is published in it nor the
        size of the archive; only the `count` chosen are read from the table (an old story's
        window is rarely in memory). On SQLite each story of the window is asked for its tags.
        """
        around = article.published_at or timezone.now()
        return self.related_in(
            article.pk, tag_ids, around - RELATED_WINDOW, around + RELATED_WINDOW, count
        )

    def related_in(self, story_id: int, tag_ids, since, until, count: int):
        """related_to() with its values given: the `count` stories published from `since` to
        `until`, `story_id` aside, sharing the most of `tag_ids` (one parameter, `= ANY`)."""
        shared = (
            TaggedArticle.objects.filter(any_of("tag_id", tag_ids), content_object=OuterRef("pk"))
            .order_by()
            # COUNT(*), not of a column: the unique (story, tag) index answers it alone.
            .values(count=Func(template="COUNT(*)", output_field=models.IntegerField()))
        )
        order = ("-shared_tags", "-published_at", "-pk")
        if connection.vendor == "postgresql":
            # Found from the tags' side: the links of these tags to stories published in the
            # window, counted and ordered in "tagged_story_time_idx" (each link carries its
            # story's time, kept by the database: migration 0024), rather than every story of the
            # window asked for its tags; only the best are asked whether they are among `self`.
            candidate = RawSQL("sharing.id", (), output_field=models.BigIntegerField())
            among = self.filter(pk=candidate).order_by().values("pk").query
            among_sql, among_params = among.get_compiler(self.db).as_sql()
            best = RawSQL(
                f"SELECT sharing.id FROM ({_SHARING_IN_WINDOW}) sharing"
                f" WHERE EXISTS ({among_sql})"
                " ORDER BY sharing.shared DESC, sharing.at DESC, sharing.id DESC LIMIT %s",
                (tag_ids, since, until, story_id, *among_params, count),
            )
        else:
            best = (
                self.filter(published_at__range=(since, until))
                .exclude(pk=story_id)
                .annotate(shared_tags=Subquery(shared))
                .filter(shared_tags__gt=0)
                .order_by(*order)
                .values("pk")[:count]
            )
        return (
            self.filter(pk__in=best)
            .annotate(shared_tags=Subquery(shared))
            .order_by(*order)
            .select_related("section", "lead_photo")
        )


# The indexes that answer these queries: Article.Meta.indexes.
ARTICLE_INDEXES = [
    # Home page, feeds, sitemaps and search: the newest published stories, in the order pages
    # list them (newest first, the newer id first among equals), read without a sort.
    models.Index(fields=["status", "-published_at", "-id"], name="article_status_pub_idx"),
    # Section pages: a section's public stories in the order its pages list them, their ids
    # in the index too, so a page deep in a section's archive skips the stories before it (and
    # counts those after) in the index alone.
    models.Index(
        fields=["section", "-published_at", "-created_at"],
        include=["id"],
        name="article_section_listed_idx",
        condition=Q(status="published"),
    ),
    # Sitemaps: the newest change of all published stories and of each section's, read
    # from the end of these, never by aggregating every story.
    models.Index(
        change_time().desc(),
        name="article_latest_change_idx",
        condition=Q(status="published"),
    ),
    models.Index(
        F("section"),
        change_time().desc(),
        name="article_section_change_idx",
        condition=Q(status="published"),
    ),
    # List pages deep in a topic's or author's stories: the stories skipped are joined
    # and sorted from this index alone, not from their rows (articles/pagination.py).
    models.Index(
        fields=["id"],
        include=["published_at", "created_at"],
        name="article_published_cover_idx",
        condition=Q(status="published"),
    ),
    # The content API's `updated_since` (syncing clients): published stories changed
    # since a time, beside "article_status_pub_idx" for those published since it.
    models.Index(
        fields=["updated_at"],
        name="article_updated_published_idx",
        condition=Q(status="published"),
    ),
    # The content API's photos: the newest published stories showing a photo as their lead
    # or social image, read in order, however many stories show it (articles/api/queries.py).
    models.Index(
        fields=["lead_photo", "-published_at", "-id"],
        name="article_lead_photo_pub_idx",
        condition=Q(status="published"),
    ),
    models.Index(
        fields=["social_image", "-published_at", "-id"],
        name="article_social_image_pub_idx",
        condition=Q(status="published"),
    ),
    # Search has a GIN index on its stored weighted vector too,
    # "article_search_published_idx": made by migrations 0009 and 0011 on Postgres only,
    # because SQLite (the quickstart) has neither tsvector nor GIN (articles/search.py).
]
