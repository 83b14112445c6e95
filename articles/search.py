"""Search over published stories.

Postgres: full-text search, headline weighted over subheadline over body, ranked, with
highlighted snippets. The vector is an *expression* served by the GIN index
"article_search_idx" (migration 0003) rather than a stored column: it can never go stale, whatever
writes the rows (admin, bulk imports, queryset.update()), and needs no trigger or extra column.
The price is that `search_vector()` must stay identical to the indexed expression; a test checks
that the planner uses the index.

SQLite (the `make run` quickstart): a plain case-insensitive match, newest first.
"""

import html
import re

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CONFIG = "english"
MAX_QUERY_LENGTH = 200
# Private-use characters mark matches in ts_headline output; the HTML is built after escaping.
START, STOP = "\ue000", "\ue001"
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ue000\ue001]")
_TAG = re.compile(r"<[^>]*>")


def search_vector() -> SearchVector:
    return (
        SearchVector("headline", weight="A", config=CONFIG)
        + SearchVector("subheadline", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
    )


def clean_query(raw: str) -> str:
    """What we search for: printable text, whitespace collapsed, at most MAX_QUERY_LENGTH."""
    return " ".join(_CONTROL.sub(" ", raw or "").split())[:MAX_QUERY_LENGTH]


def search(queryset, terms: str):
    """`queryset` narrowed to `terms`, best first, by the database's best means."""
    if connection.vendor == "postgresql":
        return fulltext_search(queryset, terms)
    return simple_search(queryset, terms)


def fulltext_search(queryset, terms: str):
    """Ranked Postgres full-text search; rows carry `headline_marked` and `snippet_marked`
    (text with START/STOP around the matches) for `highlight()`."""
    query = SearchQuery(terms, search_type="websearch", config=CONFIG)
    marks = {"start_sel": START, "stop_sel": STOP, "config": CONFIG}
    return (
        queryset.annotate(document=search_vector())
        .filter(document=query)
        .annotate(
            rank=SearchRank(search_vector(), query),
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
        .order_by("-rank", "-published_at", "-pk")
    )


def simple_search(queryset, terms: str):
    """The SQLite quickstart's search: the phrase anywhere in the text, newest first."""
    return queryset.filter(
        Q(headline__icontains=terms) | Q(subheadline__icontains=terms) | Q(body__icontains=terms)
    ).order_by("-published_at", "-pk")


def highlight(marked: str) -> SafeString:
    """Escaped text with <mark> around the matches: markup from the body is dropped first."""
    text = " ".join(html.unescape(_TAG.sub(" ", marked)).split())
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))
