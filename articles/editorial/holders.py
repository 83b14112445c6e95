"""Who holds a story that has left its writer's hands: the editor who has it open now (its edit
lock) and whoever saved its latest version (for a scheduled story, the editor who scheduled or
last changed it). Annotations, so a desk list of them is one query."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat, Trim
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, EditLock


def display_name(prefix: str):
    return Trim(Concat(f"{prefix}first_name", Value(" "), f"{prefix}last_name"))


def with_holders(stories):
    """`stories` annotated with `open_by` / `open_by_name` (the live edit lock's user) and
    `saved_by` / `saved_by_name` (the user of its latest recorded version)."""
    lock = EditLock.objects.filter(article=OuterRef("pk"), expires_at__gt=timezone.now())
    latest = (
        Version.objects.filter(
            content_type=ContentType.objects.get_for_model(Article),
            object_id=Cast(OuterRef("pk"), CharField()),
        )
        .order_by("-revision__date_created", "-pk")
        .annotate(name=display_name("revision__user__"))
    )
    return stories.annotate(
        open_by=Subquery(lock.values("user__username")[:1]),
        open_by_name=Subquery(lock.annotate(name=display_name("user__")).values("name")[:1]),
        saved_by=Subquery(latest.values("revision__user__username")[:1]),
        saved_by_name=Subquery(latest.values("name")[:1]),
    )
