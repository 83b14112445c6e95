"""Search over published stories.

Postgres: full-text search over `articles_article.search_document`, a weighted tsvector
(headline A, subheadline B, body C) that the database stores and keeps current itself, a
generated column with a GIN index over published stories, written through,
"article_search_published_idx", both in the full-text configuration of the edition's language
(articles/models/search_document.py), which queries are parsed with too. It is not a model
field: SQLite has no tsvector, and a model field would be fetched by every query of every page;
`StoredDocument` names it in the queries that need it.

Ranking is bounded: `ts_rank` reads each candidate's whole vector, so ranking every match of a
common word costs time that grows with the archive. Only the SEARCH_CANDIDATES newest matches
are ranked, best first. Words rarer than that (most searches: names, places) get every match
ranked; for a common
word, readers get the best matches from the recent news, which is what a newsroom's readers
want, and the page says so. Both steps use an index: the GIN index or the publication-time index
finds the candidates, and only they are ranked and only the page shown is highlighted. Nothing
counts all the matches: the result list is those few hundred at most.

SQLite (the `make run` quickstart): a plain case-insensitive match, newest first.
"""

import functools
import re

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchVectorField,
)
from django.db import connection, connections, router
from django.db.models import Expression, Func, Q, TextField
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, search_config
from articles.models.kept_queries import AT, IDS, TEXT, KeptQuery, pk_in
from articles.models.richtext import plain_text

MAX_QUERY_LENGTH = 200
# How many of the newest matches are ranked (see above): finding them for a common word walks the
# newest stories until this many match, so the number bounds the walk.
SEARCH_CANDIDATES = 300
# How many times SEARCH_CANDIDATES of the newest stories are read first (see fulltext_search):
# enough for a word or pair in one story in ten, few enough to cost a rare word little.
SEARCH_WINDOW = 10
# What a result card reads (articles/search.html: its link, picture and text): not the body,
# whose matching passage comes highlighted from the database, nor the editorial columns.
CARD_FIELDS = (
    *("kicker", "headline", "subheadline", "slug", "status", "published_at"),
    *("kind", "sponsor", "embargo_until"),  # the card's label; whether it is public
    "section__slug",
    *("lead_photo__image", "lead_photo__width", "lead_photo__height", "lead_photo__alt_text"),
    "lead_photo__renditions",
)
# Private-use characters mark matches in ts_headline output; the HTML is built after escaping.
START, STOP = "\ue000", "\ue001"
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ue000\ue001]")


class StoredDocument(Expression):
    """The stored search vector of the story in this query (Postgres; search_document.py)."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name('search_document')}", []


def clean_query(raw: str) -> str:
    """What we search for: printable text, whitespace collapsed, at most MAX_QUERY_LENGTH."""
    return " ".join(_CONTROL.sub(" ", raw or "").split())[:MAX_QUERY_LENGTH]


def search(terms: str):
    """Published stories matching `terms`, best first, by the database's best means, as cards
    (CARD_FIELDS, their sections and lead photos)."""
    if connection.vendor == "postgresql":
        return fulltext_search(terms)
    return simple_search(
        Article.objects.published().select_related("section", "lead_photo").without_words(), terms
    )


def _documents():
    # The stories searched: public ones, each with its stored document, newest first.
    return (
        Article.objects.published(at=AT)
        .annotate(document=StoredDocument())
        .order_by("-published_at", "-pk")
        .values("pk", "published_at", "document")
    )


def _window(size: int):
    return _documents()[:size]


def _newest_matches(config: str, candidates: int):
    query = SearchQuery(TEXT, search_type="websearch", config=config)
    return (
        _documents()
        .filter(document=query)
        # Words to find, not only words to leave out ("-market"): that is no search, and the
        # GIN index cannot serve it, so Postgres would read every story. Constant: decided
        # when the query is planned.
        .alias(indexed=Func(query, function="querytree", output_field=TextField()))
        .exclude(indexed="T")[:candidates]
    )


def _page_of_results(config: str):
    query = SearchQuery(TEXT, search_type="websearch", config=config)
    marks = {"start_sel": START, "stop_sel": STOP, "config": config}
    return (
        Article.objects.published(at=AT)
        .select_related("section", "lead_photo")
        .only(*CARD_FIELDS)
        .annotate(
            headline_marked=SearchHeadline("headline", query, highlight_all=True, **marks),
            snippet_marked=SearchHeadline(
                "body",
                query,
                max_words=30,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
                **marks,
            ),
        )
        .filter(pk_in(IDS))
    )


_KEPT: dict[tuple, tuple[KeptQuery, KeptQuery, KeptQuery]] = {}


def _kept(config: str) -> tuple[KeptQuery, KeptQuery, KeptQuery]:
    """The search's queries, compiled once per process (KeptQuery) for each full-text
    configuration and number of candidates (SEARCH_CANDIDATES, SEARCH_WINDOW as they are now):
    the newest stories read first (the window), the newest matches of all, and a page of
    results with their matches marked. Each search puts in its own time, words and ids."""
    key = (config, SEARCH_CANDIDATES, SEARCH_WINDOW)
    if key not in _KEPT:
        _KEPT[key] = (
            KeptQuery(functools.partial(_window, SEARCH_CANDIDATES * SEARCH_WINDOW)),
            KeptQuery(functools.partial(_newest_matches, config, SEARCH_CANDIDATES)),
            KeptQuery(functools.partial(_page_of_results, config)),
        )
    return _KEPT[key]


def fulltext_search(terms: str) -> "RankedResults":
    """Ranked Postgres full-text search over the newest SEARCH_CANDIDATES matches."""
    config = search_config()
    window, newest, page = _kept(config)
    at = timezone.now()
    # Most searches' newest matches are among the newest stories: SEARCH_WINDOW times
    # SEARCH_CANDIDATES of the newest are read first, down "article_status_pub_idx" in the order
    # of the results (no sort), and when they hold enough matches
    # those are the newest matches of all. Only otherwise is every match found (`newest`): the
    # GIN index for two words together is planned as if the words were unrelated, so a pair
    # common in the news (both in thousands of stories) was found by reading every story with
    # both, each on its own page of the table (tens of milliseconds), to keep a few hundred.
    # One word is planned by how common it is (the planner then walks the newest itself, or
    # looks a rare word up in the GIN index): it skips the window, which costs a rare word 3 ms.
    window_sql, window_params = window.sql(at=at)
    sql, params = newest.sql(at=at, text=terms)
    # Ranked outside the subquery, so only those few hundred are ranked whichever way Postgres
    # finds them: walking the publication-time index newest first (a common word), or the GIN
    # index then a top-N sort (a rarer word, or a misestimate), which would otherwise run ts_rank
    # over every match. Ids only, in rank order.
    parsed = "websearch_to_tsquery(%s::regconfig, %s)"
    with connections[router.db_for_read(Article)].cursor() as cursor:  # a replica, as routed
        cursor.execute(
            f"WITH recent AS MATERIALIZED (SELECT * FROM ({window_sql}) AS w"
            f" WHERE numnode({parsed}) > 1 AND document @@ {parsed} AND querytree({parsed}) <> 'T'"
            " ORDER BY published_at DESC, pk DESC LIMIT %s)"
            " SELECT pk FROM ("
            " SELECT * FROM recent WHERE (SELECT COUNT(*) FROM recent) >= %s"
            f" UNION ALL SELECT * FROM ({sql}) AS everything"
            " WHERE (SELECT COUNT(*) FROM recent) < %s"
            f") AS newest ORDER BY ts_rank(document, {parsed}) DESC,"
            " published_at DESC, pk DESC",
            (
                *window_params,
                *(config, terms) * 3,
                *(SEARCH_CANDIDATES, SEARCH_CANDIDATES),
                *params,
                *(SEARCH_CANDIDATES, config, terms),
            ),
        )
        ids = [pk for (pk,) in cursor.fetchall()]
    return RankedResults(page, ids, terms, at)


class RankedResults:
    """Search results as a Paginator sees them: stories in rank order, fetched a page at a time
    with `headline_marked` and `snippet_marked` (text with START/STOP around the matches) for
    `highlight()`; ts_headline re-reads a story's text, so only the page shown pays for it."""

    def __init__(self, page: KeptQuery, ids: list[int], terms: str, at):
        self.page, self.ids, self.terms, self.at = page, ids, terms, at

    def count(self) -> int:
        return len(self.ids)

    def __getitem__(self, page: slice) -> list:
        ids = self.ids[page]
        if not ids:
            return []
        by_id = {
            story.pk: story
            for story in self.page.rows(at=self.at, text=self.terms, ids=sorted(ids))
        }  # unordered: put in rank order here
        return [by_id[pk] for pk in ids if pk in by_id]


def simple_search(queryset, terms: str):
    """The SQLite quickstart's search: the phrase anywhere in the text, newest first."""
    return queryset.filter(
        Q(headline__icontains=terms) | Q(subheadline__icontains=terms) | Q(body__icontains=terms)
    ).order_by("-published_at", "-pk")


def highlight(marked: str) -> SafeString:
    """Escaped text with <mark> around the matches: markup from the body is dropped first."""
    text = plain_text(marked)
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))
