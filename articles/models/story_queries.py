"""How stories are found: the published rule and the lists pages read, as queryset methods."""

import functools
import operator
from datetime import timedelta

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, models
from django.db.models import F, Func, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from .bylines import bylines_prefetch
from .photos import PhotoQuerySet
from .sections import Section
from .tags import TaggedArticle


def change_time():
    """A published story's `date_modified` in SQL: its visible revision time, else publication.

    The sitemaps' lastmod; "article_latest_change_idx" and "article_section_change_idx" index it.
    """
    return Coalesce("revised_at", "published_at")


# Related stories come from this long before or after a story (see related_to).
RELATED_WINDOW = timedelta(days=30)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one definition of what the public may see.

        Never a story under embargo: a published story's time is never before its embargo (the
        constraint "article_published_after_embargo"), so a time that has passed means its
        embargo has too. Filtering on embargo_until as well would say nothing more, and would
        cost the deep list pages their index-only scan (articles/public/pagination.py).
        """
        return self.filter(status=self.model.Status.PUBLISHED, published_at__lte=timezone.now())

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

    def showing(self, photo):
        """Stories that show `photo` (a Photo or its id) in any of the ways a story shows one
        (PhotoQuerySet.STORY_FIELDS: lead, social image, inside its blocks)."""
        shown = (Q(**{field: photo}) for field in PhotoQuerySet.STORY_FIELDS)
        return self.filter(functools.reduce(operator.or_, shown)).distinct()

    def related_to(self, article, tag_ids: list[int]):
        """Stories sharing the most of `tag_ids` with `article`, newest first among equals.

        Only stories published within RELATED_WINDOW of the story, before or after, are
        candidates: related stories are the ones from its news cycle. The rule also bounds the
        query, which otherwise counts every story ever given a popular tag. Here
        "article_status_pub_idx" finds the stories in the window and each one's
        shared tags are counted through its own tag links, so the cost follows how much is
        published in the window, not the size of the archive.
        """
        around = article.published_at or timezone.now()
        shared = (
            TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag__in=tag_ids)
            .order_by()
            .values(count=Func("pk", function="COUNT"))
        )
        return (
            self.filter(published_at__range=(around - RELATED_WINDOW, around + RELATED_WINDOW))
            .exclude(pk=article.pk)
            .annotate(shared_tags=Subquery(shared))
            .filter(shared_tags__gt=0)
            .order_by("-shared_tags", "-published_at", "-pk")
            .select_related("section", "lead_photo")
        )
