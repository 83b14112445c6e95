"""What a published story shows is changed only by those who may publish.

A photo leading a published or scheduled story or shown in its blocks, the story's authors, its section and its tags are
all live on the site: changing or deleting one of them is as good as changing the story, so it
needs `articles.publish_article`, like the story itself. Objects no public story uses stay open to
everyone with the model's ordinary permissions (a reporter fixes the caption of a draft's photo).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from articles.models import PUBLISH_PERMISSION, Article


def public_stories_using(lookup: str | tuple[str, ...], objects) -> bool:
    """Whether a published or scheduled story shows any of `objects` through `lookup` (or any of
    several: a photo leads a story or shows in its blocks)."""
    lookups = (lookup,) if isinstance(lookup, str) else lookup
    shows = Q()
    for each in lookups:
        shows |= Q(**{f"{each}__in": objects})
    return Article.objects.filter(shows, status=Article.Status.PUBLISHED).order_by().exists()


class PublicationGuard:
    """A ModelAdmin mixin: `public_lookup` is how an Article reaches the object."""

    public_lookup: str | tuple[str, ...]

    def is_guarded(self, request, objects) -> bool:
        return not request.user.has_perm(PUBLISH_PERMISSION) and public_stories_using(
            self.public_lookup, objects
        )

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if allowed and obj is not None and self.is_guarded(request, [obj]):
            return False
        return allowed

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if allowed and obj is not None and self.is_guarded(request, [obj]):
            return False
        return allowed

    def delete_queryset(self, request, queryset):
        # The bulk delete action checks the model permission only, not each object.
        if self.is_guarded(request, queryset):
            raise PermissionDenied
        super().delete_queryset(request, queryset)
