"""The story page's query: a story with what its page reads besides the story, in its row.

Built and compiled once per process. Resolving and compiling its subqueries (its blocks' photos,
its embeds' previews, when its first correction is, whether it has contributors) cost more
than running them (about 2 ms a render of 3), and none depends on the time or the request:
each is kept as the SQL it compiled to, which every story query then only copies. Whether a
correction is due does depend on the time (Correction.objects.due()): the story carries when
its first correction is, and the page compares that with the time.
"""

import functools

from django.db import connections, router
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.expressions import RawSQL

from articles.models import Article, Contributor, Correction


def article_queryset():
    """Stories as their page reads them (a copy: the kept one is never evaluated)."""
    return _story_columns().all()


@functools.cache
def _story_columns():
    mine = {"article": OuterRef("pk")}
    first_correction = (
        Correction.objects.filter(**mine).order_by("published_at").values("published_at")[:1]
    )
    stories = (
        Article.objects.select_related("section", "lead_photo", "social_image")
        .with_block_photos()
        .with_embed_previews()
        .annotate(
            first_correction_at=Subquery(first_correction),
            has_contributors=Exists(Contributor.objects.filter(**mine)),
        )
    )
    return compiled_annotations(stories)


def compiled_annotations(stories):
    """`stories` with each annotation replaced by the SQL it compiles to. That SQL names the
    stories' table by its own name, as every query that lists stories first does: only for
    querysets that are never a subquery of another over the same table."""
    connection = connections[router.db_for_read(stories.model)]
    compiler = stories.query.get_compiler(connection=connection)
    kept = stories.all()
    for name, expression in stories.query.annotations.items():
        sql, params = compiler.compile(expression)
        kept.query.annotations[name] = RawSQL(sql, params, output_field=expression.output_field)
    return kept
