"""Story lists that page without counting the whole archive.

Django's Paginator counts every matching story (for a popular tag or a busy writer, a join over
an ever-growing share of the archive) just to print "Page 1 of 934". Here the count stops a few
pages past the one asked for: the page, its
neighbours and "Older stories" are exact, the total is shown only when the list ends within
reach, and any page that has stories can still be asked for.
"""

from django.core.paginator import EmptyPage, Paginator
from django.utils.functional import cached_property

# How many pages past the current one are counted.
LOOK_AHEAD = 10
# Postgres LIMIT is a bigint: a page number beyond this has no stories anyway.
LARGEST_LIMIT = 2**62


class BoundedPaginator(Paginator):
    """A Paginator of a queryset whose count stops LOOK_AHEAD pages past the page asked for."""

    def __init__(self, object_list, per_page):
        super().__init__(object_list, per_page)
        self.limit = self._limit_for(1)

    def _limit_for(self, number: int) -> int:
        # One row more than the pages counted, to know whether the list goes on.
        return (number + LOOK_AHEAD) * self.per_page + 1

    def page(self, number):
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1  # not a number: the parent class says so
        if wanted > 1:
            if self._limit_for(wanted) > LARGEST_LIMIT:
                raise EmptyPage(self.error_messages["no_results"])
            self.limit = self._limit_for(wanted)
        page = super().page(number)
        if page.number > LOOK_AHEAD:
            # Deep in a list, the stories skipped are walked as ids and sort keys only (the list's
            # own index holds those: page_queries.later_pages) and only the page's own are read
            # whole.
            # Near the top, where little is skipped, the one plain query is quicker.
            bottom = (page.number - 1) * self.per_page
            narrow = self.object_list.prefetch_related(None).values("pk")
            page.object_list = self.object_list.filter(
                pk__in=narrow[bottom : bottom + self.per_page]
            )
        return page

    def first_page(self, count: int):
        """Page 1 of a list of its stories read already, with the `count` read with them
        (page_queries.first_page)."""
        self.count = count
        return self.page(1)

    @cached_property
    def count(self):
        """The number of stories, or `limit` when there are at least that many."""
        # Any `limit` rows will do: unordered, Postgres may join from the smaller side.
        return self.object_list.order_by()[: self.limit].count()

    @property
    def count_is_capped(self) -> bool:
        """True when the list goes on past what was counted (so there is no total to show)."""
        return self.count >= self.limit
