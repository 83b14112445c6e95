"""What happens around saves, in one place: renditions, old addresses, the Updated stamp, the nav
cache and the version of the cached reader pages."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from . import navigation, renditions
from .models import (
    Article,
    ArticleRedirect,
    Author,
    Byline,
    ContentVersion,
    Photo,
    Section,
    TaggedArticle,
)


@receiver(post_save, sender=Photo)
def make_renditions(sender, instance, raw=False, **kwargs):
    if not raw:
        renditions.refresh(instance)


@receiver(post_delete, sender=Photo)
def delete_files(sender, instance, **kwargs):
    """A deleted photo leaves no file behind (its licence may have ended): renditions and the
    original."""
    renditions.delete_files(instance.renditions)
    if instance.image:
        instance.image.delete(save=False)


@receiver(pre_save, sender=Article)
def note_public_changes(sender, instance, raw=False, **kwargs):
    """Before a public story changes: stamp material edits, remember an address that is changing."""
    instance._moved_from = None
    if raw or instance.pk is None:
        return
    previous = Article.objects.select_related("section").filter(pk=instance.pk).first()
    if previous is None or not previous.is_published:
        return
    if instance.is_published and instance.changes_materially(previous):
        instance.revised_at = timezone.now()
    if previous.slug != instance.slug or previous.section_id != instance.section_id:
        instance._moved_from = previous.get_absolute_url()


@receiver(post_save, sender=Article)
def keep_old_address(sender, instance, raw=False, **kwargs):
    """An old address of a public story answers 301 to wherever the story is now."""
    if raw:
        return
    moved_from = getattr(instance, "_moved_from", None)
    if moved_from:
        ArticleRedirect.objects.update_or_create(
            old_path=moved_from, defaults={"article": instance}
        )
    # A story moved back to an earlier address: that address is live again, not a redirect.
    if instance.section_id is not None:
        live = reverse(
            "articles:article", kwargs={"section": instance.section.slug, "slug": instance.slug}
        )
        ArticleRedirect.objects.filter(old_path=live).delete()


@receiver(post_save, sender=Section)
@receiver(post_delete, sender=Section)
def refresh_navigation(sender, **kwargs):
    navigation.forget()


# Everything the cached reader pages show. Connected last, so a photo's renditions are made first.
SHOWN_ON_CACHED_PAGES = (Article, Section, Photo, Author, Byline, Tag, TaggedArticle)


def refresh_cached_pages(sender, raw=False, **kwargs):
    """Cached reader pages start afresh once the change is committed: a page rendered from the
    data before the commit must not be served as the new version."""
    if not raw:
        transaction.on_commit(ContentVersion.bump)


for model in SHOWN_ON_CACHED_PAGES:
    post_save.connect(refresh_cached_pages, sender=model, dispatch_uid=f"pages-{model.__name__}")
    post_delete.connect(refresh_cached_pages, sender=model, dispatch_uid=f"pages-{model.__name__}")
