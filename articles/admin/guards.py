"""What a published story shows is changed only by those who may publish.

A photo a published or scheduled story shows (as its lead photo, its social image, or any other
way `Photo.objects.shown_by_public_stories()` knows), the story's authors, its section and its
tags are all live on the site: changing or deleting one of them is as good as changing the story, so it
needs `articles.publish_article`, like the story itself. Objects no public story uses stay open to
everyone with the model's ordinary permissions (a reporter fixes the caption of a draft's photo).
"""

from django.core.exceptions import PermissionDenied

from articles.models import PUBLISH_PERMISSION, Article


def public_stories_using(lookup: str, objects) -> bool:
    """Whether a published or scheduled story shows any of `objects` through `lookup`."""
    return (
        Article.objects.filter(status=Article.Status.PUBLISHED, **{f"{lookup}__in": objects})
        .order_by()
        .exists()
    )


class PublicationGuard:
    """A ModelAdmin mixin: `public_lookup` is how an Article reaches the object; an admin whose
    objects a story shows in several ways overrides `shown_publicly` instead."""

    public_lookup: str

    def shown_publicly(self, objects) -> bool:
        """Whether a published or scheduled story shows any of `objects` (a list or queryset)."""
        return public_stories_using(self.public_lookup, objects)

    def is_guarded(self, request, objects) -> bool:
        return not request.user.has_perm(PUBLISH_PERMISSION) and self.shown_publicly(objects)

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
