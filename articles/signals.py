"""What happens around saves, in one place: renditions, old addresses, the Updated stamp and the
purge of the cached reader pages that show what changed."""

from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from . import desk, page_cache, renditions
from .models import (
    Article,
    ArticleRedirect,
    Author,
    Byline,
    Contributor,
    Correction,
    FrontPageSlot,
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
    # Originals are public under MEDIA_URL: a deleted photo must not stay reachable.
    if instance.image:
        name = instance.image.name
        transaction.on_commit(lambda: instance.image.storage.delete(name))


@receiver(pre_save, sender=Photo)
def delete_replaced_original(sender, instance, raw=False, **kwargs):
    """A replaced image's original goes once the new one is committed (its renditions go when
    the new ones are made): the old file would otherwise stay public under its old address."""
    if raw or instance.pk is None:
        return
    previous = Photo.objects.filter(pk=instance.pk).values_list("image", flat=True).first()
    if previous and previous != instance.image.name:
        storage = instance.image.storage
        transaction.on_commit(lambda: storage.delete(previous))


@receiver(pre_save, sender=Article)
def note_public_changes(sender, instance, raw=False, **kwargs):
    """Before a public story changes: stamp material edits, remember an address that is changing."""
    instance._moved_from = None
    instance._was_public = False
    instance._previous_section_id = None
    if raw or instance.pk is None:
        return
    previous = Article.objects.select_related("section").filter(pk=instance.pk).first()
    if previous is None or not previous.is_published:
        return
    instance._was_public = True
    instance._previous_section_id = previous.section_id
    if instance.is_published and instance.changes_materially(previous):
        instance.revised_at = timezone.now()
    if previous.slug != instance.slug or previous.section_id != instance.section_id:
        instance._moved_from = previous.get_absolute_url()


@receiver(pre_save, sender=Article)
def note_review_moves(sender, instance, raw=False, **kwargs):
    """A story entering review (editors are told), or sent back from review to its writer."""
    before = getattr(instance, "_saved_status", None)
    instance._entering_review = (
        not raw and instance.status == Article.Status.REVIEW and before != Article.Status.REVIEW
    )
    if raw:
        return
    if before == Article.Status.REVIEW and instance.status == Article.Status.DRAFT:
        instance.sent_back_at = timezone.now()
    elif instance.status != Article.Status.DRAFT:
        instance.sent_back_at = None


@receiver(post_save, sender=Article)
def tell_editors_of_review_request(sender, instance, raw=False, **kwargs):
    """Editors hear of a story sent to review, however it was sent (list action or form)."""
    if getattr(instance, "_entering_review", False):
        transaction.on_commit(lambda: desk.notify_editors_of_review(instance))


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


# Everything the cached reader pages show, and the surrogate keys of the pages a change touches
# (see articles/page_cache.py). Connected last, so a photo's renditions are made first.


def story_change_keys(article: Article) -> set[str]:
    """A story shows on its page, on home, the rail and feeds, and on the lists of its section,
    topics and authors (which it may be joining or leaving)."""
    if not (article.is_published or getattr(article, "_was_public", False)):
        return set()  # a draft or scheduled story is on no reader page
    keys = {page_cache.story_key(article.pk), "home", "latest", "feeds"}
    for section_id in {article.section_id, getattr(article, "_previous_section_id", None)}:
        if section_id:
            keys.add(page_cache.section_key(section_id))
    if article.pk is not None:
        keys.update(
            page_cache.tag_key(pk)
            for pk in TaggedArticle.objects.filter(content_object=article.pk).values_list(
                "tag_id", flat=True
            )
        )
        keys.update(
            page_cache.author_key(pk)
            for pk in Byline.objects.filter(article=article.pk).values_list("author_id", flat=True)
        )
    return keys


def change_keys(instance, deleted: bool) -> set[str]:
    if isinstance(instance, Article):
        return story_change_keys(instance)
    if isinstance(instance, Section):
        return {"site"}  # the section navigation is on every page
    if isinstance(instance, Photo):
        if deleted:
            return {"site"}  # deleted: the stories it led no longer point at it
        # Feeds carry lead photos as enclosures; a social image shows in the story's head.
        stories = Article.objects.filter(
            Q(lead_photo=instance) | Q(social_image=instance)
        ).values_list("pk", flat=True)
        return {page_cache.story_key(pk) for pk in stories} | {"feeds"}
    # Feeds name stories' authors but no single story page: they are purged as a whole.
    if isinstance(instance, Author):
        return {page_cache.author_key(instance.pk), "feeds"}
    if isinstance(instance, Byline):
        return {
            page_cache.story_key(instance.article_id),
            page_cache.author_key(instance.author_id),
            "feeds",
        }
    if isinstance(instance, Tag):
        return {page_cache.tag_key(instance.pk)}
    if isinstance(instance, TaggedArticle):
        return {
            page_cache.story_key(instance.content_object_id),
            page_cache.tag_key(instance.tag_id),
            "feeds",
        }
    return {"site"}


@receiver(post_save, sender=Correction)
def mark_corrected_story_updated(sender, instance, raw=False, **kwargs):
    """A correction is a change readers must be told of: the story shows it as updated."""
    if raw:
        return
    Article.objects.filter(pk=instance.article_id).filter(
        models.Q(revised_at__isnull=True) | models.Q(revised_at__lt=instance.published_at)
    ).update(revised_at=instance.published_at, updated_at=timezone.now())


# Front page slots, corrections and contributors fall to "site" in change_keys: every page
# starts afresh (they are rare, and show on home, the story, /corrections/ and feeds alike).
SHOWN_ON_CACHED_PAGES = (
    Article, Section, Photo, Author, Byline, Tag, TaggedArticle,
    FrontPageSlot, Correction, Contributor,
)  # fmt: skip


def refresh_cached_pages(sender, instance, signal, raw=False, **kwargs):
    """Pages showing the change start afresh once it is committed: a page rendered from the
    data before the commit must not be served as the new version."""
    if not raw and (keys := change_keys(instance, signal is post_delete)):
        page_cache.purge(keys)


for model in SHOWN_ON_CACHED_PAGES:
    post_save.connect(refresh_cached_pages, sender=model, dispatch_uid=f"pages-{model.__name__}")
    post_delete.connect(refresh_cached_pages, sender=model, dispatch_uid=f"pages-{model.__name__}")
