"""What happens around saves, in one place: renditions, old addresses, the Updated stamp and the
purge of the cached reader pages that show what changed."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from . import page_cache, renditions
from .models import (
    Article,
    ArticleRedirect,
    Author,
    Byline,
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
            keys.add(f"section-{section_id}")
    if article.pk is not None:
        keys.update(
            f"tag-{pk}"
            for pk in TaggedArticle.objects.filter(content_object=article.pk).values_list(
                "tag_id", flat=True
            )
        )
        keys.update(
            f"author-{pk}"
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
        stories = Article.objects.filter(lead_photo=instance).values_list("pk", flat=True)
        return {page_cache.story_key(pk) for pk in stories}
    if isinstance(instance, Author):
        return {f"author-{instance.pk}"}
    if isinstance(instance, Byline):
        return {page_cache.story_key(instance.article_id), f"author-{instance.author_id}"}
    if isinstance(instance, Tag):
        return {f"tag-{instance.pk}"}
    if isinstance(instance, TaggedArticle):
        return {page_cache.story_key(instance.content_object_id), f"tag-{instance.tag_id}", "feeds"}
    return {"site"}


SHOWN_ON_CACHED_PAGES = (Article, Section, Photo, Author, Byline, Tag, TaggedArticle)


def refresh_cached_pages(sender, instance, signal, raw=False, **kwargs):
    """Pages showing the change start afresh once it is committed: a page rendered from the
    data before the commit must not be served as the new version."""
    if not raw and (keys := change_keys(instance, signal is post_delete)):
        page_cache.purge(keys)


for model in SHOWN_ON_CACHED_PAGES:
    post_save.connect(refresh_cached_pages, sender=model, dispatch_uid=f"pages-{model.__name__}")
    post_delete.connect(refresh_cached_pages, sender=model, dispatch_uid=f"pages-{model.__name__}")
