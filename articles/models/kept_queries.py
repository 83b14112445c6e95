"""Reader pages' querysets of a fixed shape, built and compiled once per process.

Building a queryset (filters, joins, ordering) and compiling it to SQL cost more than running
it on most reader pages, and for the lists every page shows (the newest stories, the section
blocks, bylines, tags) only a few values change from render to render: the time, a story's id,
the ids on the page. Each such query is compiled once with a stand-in for each of those values
(a value no real query carries); a render copies the compiled SQL and puts its own values in
the stand-ins' places. Only for querysets whose SQL text does not depend on those values: a
list of ids is one parameter (`= ANY(%s)`), never `IN (%s, %s, …)`.

On Postgres each such query is also a prepared statement of each connection (PREPARE once,
then EXECUTE with the render's values): Postgres then parses it once per connection and, once
it finds a generic plan as cheap as planning each time, plans it once too, where otherwise it
would plan the same statement for every render. A query whose generic plan is as good for every
value but never looks as cheap as each run's own (`generic=True`: a story's related stories)
runs its generic plan from the first. Not behind PgBouncer in transaction mode
(NEWSROOM_PREPARED_QUERIES): a prepared statement belongs to one server connection, and
PgBouncer hands each transaction any of them.
"""

import copy
import datetime
import itertools
import json
import re

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import connections, models, router
from django.db.models import F, Func, Value, prefetch_related_objects
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

    _names = itertools.count(1)

    def __init__(self, build, edit=None, generic=False):
        self._build = build
        self._edit = edit
        self._generic = generic
        self._compiled = None
        self._name = f"kept_query_{next(self._names)}"

    @property
    def model(self):
        return (self._compiled or self._compile())[0].model

    @property
    def name(self) -> str:
        """Its prepared statement's name in each database session (pg_prepared_statements)."""
        return self._name

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
        prepared = None
        if compiler.connection.vendor == "postgresql":
            prepared = _Prepared(self._name, sql, len(params), self._generic)
        self._compiled = (queryset, compiler, sql, tuple(params), tuple(places), prepared)
        return self._compiled

    @staticmethod
    def _params(params, places, values) -> list:
        params = list(params)
        for position, name, encode in places:
            params[position] = values[name] if encode is None else encode(values[name])
        return params

    def sql(self, **values) -> tuple[str, list]:
        """The compiled SQL and its parameters with these values, for a query written around it
        (never prepared: the query around it is the statement)."""
        _, _, sql, params, places, _ = self._compiled or self._compile()
        return sql, self._params(params, places, values)

    def rows(self, **values) -> list:
        queryset, compiler, sql, params, places, prepared = self._compiled or self._compile()
        params = self._params(params, places, values)
        run = copy.copy(compiler)
        # A connection is its thread's: the one this render's thread holds.
        run.connection = connections[queryset.db]
        prepared = prepared if settings.NEWSROOM_PREPARED_QUERIES else None
        if prepared is not None:
            sql = prepared.sql_on(run.connection)
        run.as_sql = lambda *args, **kwargs: (sql, params)
        run.get_converters = self._converters_on(run.connection, run.get_converters)
        # Shallow copies (copy.copy would evaluate a queryset): nothing in them is changed but
        # which compiler the query gives.
        query = object.__new__(type(queryset.query))
        query.__dict__ = {**queryset.query.__dict__, "get_compiler": lambda *a, **k: run}
        stories = object.__new__(type(queryset))
        stories.__dict__ = {**queryset.__dict__, "_query": query}
        found = list(queryset._iterable_class(stories))
        if prepared is not None:
            prepared.ran(run.connection)
        return found

    def _converters_on(self, connection, get_converters):
        """The compiler's get_converters, its answer kept on the connection (each backend's
        converters are its own): the columns' converters are the same on every run, and Django
        looks them up for each."""
        kept = connection.__dict__.setdefault("_kept_converters", {})

        def converters(expressions):
            found = kept.get(self._name)
            if found is None:
                found = kept[self._name] = get_converters(expressions)
            return found

        return converters


# What runs a statement's generic plan: before its EXECUTE, in the same string (_Prepared).
GENERIC_PLAN = "SET LOCAL plan_cache_mode = force_generic_plan; "


class _Prepared:
    """A kept query as a prepared statement of each database session: `sql_on(connection)` is
    the SQL that runs it there with the same parameters (%s, in order), EXECUTE once it is
    prepared, and the first time PREPARE and EXECUTE in one round trip, so a render asks no
    more queries on a new connection than on an old one. `ran(connection)`: it has run.
    `generic`: each EXECUTE runs the statement's generic plan (SET LOCAL: for that statement
    alone, as reader pages run, each statement its own transaction; inside a transaction, for
    the rest of it), where Postgres would plan it for each run's values.

    The EXECUTE carries the query's own SQL as a comment, so logs, Django's query log and the
    tests that tell queries apart by their tables still read what it asks."""

    def __init__(self, name: str, sql: str, count: int, generic: bool = False):
        self.name = name
        numbers = itertools.count(1)
        # PREPARE numbers the parameters Django's SQL marks %s; a literal percent sign stays %%,
        # as the statement is sent with the EXECUTE's parameters.
        statement = re.sub(r"%[%s]", lambda m: m[0] if m[0] == "%%" else f"${next(numbers)}", sql)
        arguments = f" ({', '.join(['%s'] * count)})" if count else ""
        shown = sql.replace("*/", "* /").replace("%", "%%")
        plan = GENERIC_PLAN if generic else ""
        self.execute = f"{plan}EXECUTE {name}{arguments} /* {shown} */"
        self.prepare_and_execute = f"PREPARE {name} AS {statement}; {plan}EXECUTE {name}{arguments}"

    @staticmethod
    def _session(connection) -> dict:
        """{name: True, or None while unsure} for the statements of the connection's current
        database session: a new one (a reconnect after CONN_MAX_AGE or a failed health check)
        has none."""
        # As Django does before a request's first query (CONN_HEALTH_CHECKS): a connection the
        # server dropped (a restart) is replaced now, not after this has chosen EXECUTE.
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        raw = connection.connection
        session = connection.__dict__.get("_kept_prepared")
        if session is None or session[0] is not raw:
            session = connection._kept_prepared = (raw, {})
        return session[1]

    def sql_on(self, connection) -> str:
        known = self._session(connection)
        if self.name in known and known[self.name] is None:
            # Its first run failed: whether the PREPARE took (it outlives a rollback) is the
            # server's to say.
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [self.name])
                known[self.name] = cursor.fetchone() is not None or None
        if known.get(self.name):
            return self.execute
        known[self.name] = None
        return self.prepare_and_execute

    def ran(self, connection) -> None:
        self._session(connection)[self.name] = True


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


# Stories' tags as taggit's prefetch of `tags` reads them (the same SQL, the same order), for one
# story (its id one parameter) or many (their ids one array, which is how Postgres reads the
# `IN (…)` list of taggit's own query).
_TAGS_SQL = (
    'SELECT DISTINCT ("articles_taggedarticle"."content_object_id") AS "_prefetch_related_val", '
    '"taggit_tag"."id", "taggit_tag"."name", "taggit_tag"."slug" FROM "taggit_tag" '
    'INNER JOIN "articles_taggedarticle" ON ("taggit_tag"."id" = "articles_taggedarticle"."tag_id") '
    'WHERE "articles_taggedarticle"."content_object_id" '
)
_ONE, _MANY = "= %s", "= ANY(%s)"


def attach_tags(story) -> list:
    """`story`'s tags, kept where `story.tags.all()` finds them as after a prefetch of "tags",
    in one query of fixed SQL (a prefetch builds and compiles its queryset for each render)."""
    return _attach_tags([story], _ONE, story.pk)[story.pk]


def attach_many_tags(stories) -> None:
    """attach_tags for each of `stories`, in one query: where taggit's prefetch also builds a
    filtered queryset for each story, only to hold its tags. Elsewhere than on Postgres (the
    quickstart's SQLite), taggit's prefetch."""
    if connections[router.db_for_read(Tag)].vendor != "postgresql":
        prefetch_related_objects(stories, "tags")
    elif stories:
        _attach_tags(stories, _MANY, [story.pk for story in stories])


def as_prefetched(model, rows: list):
    """A queryset of `model` holding `rows` as a prefetch leaves one: iterated without a query,
    or compiling one (an empty none() is still compiled to find it empty)."""
    kept = model.objects.none()
    kept._result_cache, kept._prefetch_done = rows, True
    return kept


def _attach_tags(stories, where: str, param) -> dict[int, list]:
    db = router.db_for_read(Tag)
    with connections[db].cursor() as cursor:
        cursor.execute(_TAGS_SQL + where, [param])
        rows = cursor.fetchall()
    found = {story.pk: [] for story in stories}
    for row in rows:
        found[row[0]].append(Tag.from_db(db, ("id", "name", "slug"), row[1:]))
    for story in stories:
        story._prefetched_objects_cache = {
            **getattr(story, "_prefetched_objects_cache", {}),
            "tags": as_prefetched(Tag, found[story.pk]),
        }
    return found
