"""Reader pages' querysets of a fixed shape, built and compiled once per process.

Building a queryset (filters, joins, ordering) and compiling it to SQL cost more than running
it on most reader pages, and for the lists every page shows (the newest stories, the section
blocks, bylines, tags) only a few values change from render to render: the time, a story's id,
the ids on the page. Each such query is compiled once with a stand-in for each of those values
(a value no real query carries); a render copies the compiled SQL and puts its own values in
the stand-ins' places. Only for querysets whose SQL text does not depend on those values: a
list of ids is one parameter (`= ANY(%s)`), never `IN (%s, %s, …)`.
"""

import copy
import datetime
import json

from django.contrib.postgres.fields import ArrayField
from django.db import connections, models, router
from django.db.models import F, Func, Value
from taggit.models import Tag

from .bylines import Byline

# Stand-ins: values no render passes, found among the compiled query's parameters.
AT = datetime.datetime(1111, 1, 1, 1, 1, 1, 111111, tzinfo=datetime.UTC)
SINCE = AT.replace(microsecond=222222)
UNTIL = AT.replace(microsecond=333333)
ID = -1_111_111_111
TEXT = "kept-query-stand-in-1111"
IDS = [-1_111_111_112]


class _AnyOf(Func):
    """`column = ANY(ids)`: a list of ids as one parameter, so the SQL is the same however
    many ids."""

    output_field = models.BooleanField()

    def as_sql(self, compiler, connection, **extra):
        column, ids = (compiler.compile(part) for part in self.get_source_expressions())
        return f"{column[0]} = ANY({ids[0]})", (*column[1], *ids[1])

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite (the quickstart) has no arrays: the ids as one JSON text.
        column, ids = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        return f"{column_sql} IN (SELECT value FROM json_each(%s))", (
            *column_params,
            json.dumps(ids.value),
        )


def any_of(column: str, ids) -> _AnyOf:
    return _AnyOf(F(column), Value(ids, output_field=ArrayField(models.IntegerField())))


def pk_in(ids) -> _AnyOf:
    return any_of("pk", ids)


class KeptQuery:
    """A queryset compiled once; `rows(**values)` runs it with each stand-in's value (keyword
    `at`, `since`, `until`, `id`, `ids` or `text`) and returns its rows as the queryset gives
    them (model instances, values), its prefetches not run."""

    STAND_INS = {
        "at": AT,
        "since": SINCE,
        "until": UNTIL,
        "id": ID,
        "ids": IDS,
        "text": TEXT,
    }

    def __init__(self, build, edit=None):
        self._build = build
        self._edit = edit
        self._compiled = None

    @property
    def model(self):
        return (self._compiled or self._compile())[0].model

    def _compile(self):
        queryset = self._build()
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        if self._edit is not None:
            sql = self._edit(sql)
        # Each stand-in as the query carries it: itself, or as the database's adapter wrote it
        # (SQLite: a time as text, a list of ids as JSON); a render's value is written alike.
        ops = compiler.connection.ops
        forms = []
        for name, stand_in in self.STAND_INS.items():
            forms.append((name, stand_in, None))
            if isinstance(stand_in, datetime.datetime):
                written = ops.adapt_datetimefield_value(stand_in)
                forms.append((name, written, ops.adapt_datetimefield_value))
            if isinstance(stand_in, list):
                forms.append((name, json.dumps(stand_in), json.dumps))
        places = []
        for position, param in enumerate(params):
            for name, form, encode in forms:
                if type(param) is type(form) and param == form:
                    places.append((position, name, encode))
                    break
        self._compiled = (queryset, compiler, sql, tuple(params), tuple(places))
        return self._compiled

    def rows(self, **values) -> list:
        queryset, compiler, sql, params, places = self._compiled or self._compile()
        params = list(params)
        for position, name, encode in places:
            params[position] = values[name] if encode is None else encode(values[name])
        run = copy.copy(compiler)
        # A connection is its thread's: the one this render's thread holds.
        run.connection = connections[queryset.db]
        run.as_sql = lambda *args, **kwargs: (sql, params)
        # Shallow copies (copy.copy would evaluate a queryset): nothing in them is changed but
        # which compiler the query gives.
        query = object.__new__(type(queryset.query))
        query.__dict__ = {**queryset.query.__dict__, "get_compiler": lambda *a, **k: run}
        stories = object.__new__(type(queryset))
        stories.__dict__ = {**queryset.__dict__, "_query": query}
        return list(queryset._iterable_class(stories))


def _bylines():
    return Byline.objects.select_related("author").filter(any_of("article_id", IDS))


_BYLINES = KeptQuery(_bylines)


def attach_bylines(stories) -> None:
    """What `bylines_prefetch()` gives each of `stories` (`prefetched_bylines`: its bylines
    with their authors, in byline order), in one query compiled once per process."""
    ids = sorted({story.pk for story in stories if story is not None})
    found = {}
    if ids:
        # In byline order (Byline.Meta.ordering), each story's in that order too.
        for byline in _BYLINES.rows(ids=ids):
            found.setdefault(byline.article_id, []).append(byline)
    for story in stories:
        if story is not None:
            story.prefetched_bylines = found.get(story.pk, [])


# A story's tags as taggit's prefetch of `tags` reads them (the same SQL, the same order), for
# one story: its id one parameter.
_TAGS_SQL = (
    'SELECT DISTINCT ("articles_taggedarticle"."content_object_id") AS "_prefetch_related_val", '
    '"taggit_tag"."id", "taggit_tag"."name", "taggit_tag"."slug" FROM "taggit_tag" '
    'INNER JOIN "articles_taggedarticle" ON ("taggit_tag"."id" = "articles_taggedarticle"."tag_id") '
    'WHERE "articles_taggedarticle"."content_object_id" = %s'
)


def attach_tags(story) -> list:
    """`story`'s tags, kept where `story.tags.all()` finds them as after a prefetch of "tags",
    in one query of fixed SQL (a prefetch builds and compiles its queryset for each render)."""
    db = router.db_for_read(Tag)
    with connections[db].cursor() as cursor:
        cursor.execute(_TAGS_SQL, [story.pk])
        rows = cursor.fetchall()
    tags = [Tag.from_db(db, ("id", "name", "slug"), row[1:]) for row in rows]
    kept = Tag.objects.none()
    kept._result_cache = tags
    kept._prefetch_done = True
    story._prefetched_objects_cache = {
        **getattr(story, "_prefetched_objects_cache", {}),
        "tags": kept,
    }
    return tags
