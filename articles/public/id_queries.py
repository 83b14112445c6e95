"""Queries of a list of ids whose SQL is made once per process.

A feed asks for its stories' bylines and tags by the stories' ids: the same query every time but
for the ids. Django builds and compiles a queryset's SQL on every run, which costs more than
running these small queries; an IdsQuery compiles it once for each number of ids (a feed has at
most FEED_LENGTH) and each database, and then only runs it.
"""

from collections.abc import Callable, Sequence

from django.db import connections, router
from django.db.models import QuerySet


class IdsQuery:
    """`make(ids)`: a values_list queryset of `model` whose only parameters are `ids`, in order
    (an `__in` lookup), and whose columns need no conversion from the database's values."""

    def __init__(self, model, make: Callable[[Sequence[int]], QuerySet]):
        self.model, self.make = model, make
        self.compiled: dict[tuple[str, int], str | None] = {}

    def rows(self, ids: Sequence[int]) -> list[tuple]:
        ids = list(dict.fromkeys(ids))  # an __in lookup asks for each id once
        if not ids:
            return []
        using = router.db_for_read(self.model)
        key = (using, len(ids))
        if key not in self.compiled:
            sql, params = self.make(ids).using(using).query.sql_with_params()
            self.compiled[key] = sql if list(params) == ids else None
        sql = self.compiled[key]
        if sql is None:  # parameters other than the ids: left to Django every time
            return list(self.make(ids).using(using))
        with connections[using].cursor() as cursor:
            cursor.execute(sql, ids)
            return cursor.fetchall()
