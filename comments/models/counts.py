"""How many comments readers see on each story, kept up to date as comments change instead of
counted on every render: on a story with thousands of comments that COUNT (a join to each
reply's thread) cost more than the rest of its page."""

from django.db import models, transaction
from django.db.models import Count, Subquery
from django.db.models.functions import Coalesce

from articles.models import Article
from articles.models.kept_queries import ID, KeptQuery

from .comments import Comment


class StoryCommentCount(models.Model):
    """A story's approved comments as readers count them (CommentQuerySet.approved()). Kept by
    every save or deletion of a comment that readers saw or now see (signal_handlers.py), in the
    same transaction as the change; a story without a row is counted when shown."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    approved = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.approved} comments on story {self.article_id}"

    @classmethod
    def recount(cls, article_id: int) -> None:
        """Count the story's comments again. Its row is locked first, so of two changes
        committing at once the second counts after the first has committed (read committed:
        each statement sees what was committed when it began), and neither count is lost."""
        with transaction.atomic():
            cls.objects.get_or_create(article_id=article_id)
            row = cls.objects.select_for_update().get(article_id=article_id)
            row.approved = Comment.objects.approved().filter(article_id=article_id).count()
            row.save(update_fields=["approved"])

    @classmethod
    def recount_all(cls, article_ids) -> None:
        """After comments were written in bulk (the demo), which sends no signals: the counts of
        those stories, in two queries. The caller purges the pages showing them."""
        article_ids = set(article_ids)
        counts = dict(
            Comment.objects.approved()
            .filter(article_id__in=article_ids)
            .order_by()
            .values_list("article_id")
            .annotate(n=Count("pk"))
        )
        cls.objects.bulk_create(
            [cls(article_id=pk, approved=counts.get(pk, 0)) for pk in article_ids],
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=["approved"],
        )

    @classmethod
    def of(cls, article_id: int) -> int:
        """The story's count: its kept row, else counted now (Postgres evaluates COALESCE's
        arguments only as far as the first that is not null): one query either way, compiled
        once per process."""
        return _COUNT.rows(id=article_id)[0]


def _count():
    kept = StoryCommentCount.objects.filter(article_id=ID).values("approved")
    counted = (
        Comment.objects.approved()
        .filter(article_id=ID)
        .order_by()
        .values("article_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    count = Coalesce(Subquery(kept), Subquery(counted), 0)
    return Article.objects.filter(pk=ID).values_list(count, flat=True)


_COUNT = KeptQuery(_count)
