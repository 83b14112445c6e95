"""A story's corrections and contributor credits, read only for the stories that have some:
most have none, and a page or an answer that prefetched both for every story would ask two
queries (and build them) to find nothing."""

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from .contributors import Contributor
from .corrections import Correction
from .kept_queries import as_prefetched


def attach_corrections_and_contributors(stories) -> None:
    """Each of `stories`' due corrections (oldest first) and its contributors, as prefetches
    leave them, asked for only where its row says it has some (`first_correction_at`, due by
    now, and `has_contributors`: ArticleQuerySet.with_parts_known()); nothing to ask for the
    rest, whose lists are known to be empty."""
    now = timezone.now()
    corrected, credited = [], []
    for story in stories:
        empty = {}
        if story.first_correction_at is not None and story.first_correction_at <= now:
            corrected.append(story)
        else:
            empty["corrections"] = as_prefetched(Correction, [])
        if story.has_contributors:
            credited.append(story)
        else:
            empty["contributors"] = as_prefetched(Contributor, [])
        story._prefetched_objects_cache = {
            **getattr(story, "_prefetched_objects_cache", {}),
            **empty,
        }
    if corrected:
        due = Correction.objects.due().order_by("published_at", "pk")
        prefetch_related_objects(corrected, Prefetch("corrections", queryset=due))
    if credited:
        prefetch_related_objects(credited, Prefetch("contributors", Contributor.objects.all()))
