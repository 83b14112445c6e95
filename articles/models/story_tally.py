"""How many stories have the published status, kept by the database itself.

The article sitemap's index says how many pages of stories there are, so it needs how many are
public; a COUNT over 100,000 stories is 16 ms on every render of it. Triggers on the stories
table ("article_story_tally_*", Postgres only, migration 0022) add and take away as stories'
status comes to or leaves published, in the same transaction as the change (bulk writes too),
so the tally is never behind. They run once per statement, not per story: a row-level trigger
updating the one tally row for each of 20,000 stories loaded at once nearly doubled the load.
Scheduled stories have the published status before they are public: `published_count()` takes
away those, a short range of "article_status_pub_idx".
"""

from django.db import connections, models, router
from django.utils import timezone

from .stories import Article


class StoryTally(models.Model):
    """One row (id 1), or none when there has never been a published story (a flushed table)."""

    published = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.published} published"


def published_count() -> int | None:
    """How many stories the public may see (ArticleQuerySet.published()), in one query that
    reads no story that is public; None where the database keeps no tally (SQLite)."""
    connection = connections[router.db_for_read(StoryTally)]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), (SELECT published FROM articles_storytally WHERE id = 1)"
            " FROM articles_article WHERE status = %s"
            " AND (published_at > %s OR published_at IS NULL)",
            [Article.Status.PUBLISHED, timezone.now()],
        )
        not_yet_public, published = cursor.fetchone()
    return (published or 0) - not_yet_public
