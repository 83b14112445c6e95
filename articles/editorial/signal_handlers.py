"""What the desk's rules do around a story's save: the Updated stamp, the writer's desk, editors
told of review requests, old addresses kept, corrections marking their story updated."""

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_save, pre_save
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import uri_to_iri

from articles.models import Article, ArticleRedirect, Correction

from . import desk, embed_previews


def stamp_material_revision(sender, instance, raw=False, **kwargs):
    """A public story changed by more than a small correction shows as updated."""
    if raw:
        return
    previous = instance.stored()
    if (
        previous is not None
        and previous.is_published
        and instance.is_published
        and instance.changes_materially(previous)
    ):
        instance.revised_at = timezone.now()


def note_review_moves(sender, instance, raw=False, **kwargs):
    """A story sent back from review to its writer lands on their desk until it moves on."""
    if raw:
        return
    before = getattr(instance, "_saved_status", None)
    if before == Article.Status.REVIEW and instance.status == Article.Status.DRAFT:
        instance.sent_back_at = timezone.now()
    elif instance.status != Article.Status.DRAFT:
        instance.sent_back_at = None


def tell_editors_of_review_request(sender, instance, raw=False, **kwargs):
    """Editors hear of a story sent to review, however it was sent (list action or form).
    `_saved_status` is still the status before this save while post_save runs."""
    entering_review = (
        instance.status == Article.Status.REVIEW
        and getattr(instance, "_saved_status", None) != Article.Status.REVIEW
    )
    if not raw and entering_review:
        transaction.on_commit(lambda: desk.notify_editors_of_review(instance))


def keep_old_address(sender, instance, raw=False, **kwargs):
    """An old address of a public story answers 301 to wherever the story is now."""
    if raw:
        return
    previous = instance.stored()
    if (
        previous is not None
        and previous.is_published
        and (previous.slug != instance.slug or previous.section_id != instance.section_id)
    ):
        # As requests give it (request.path): a Hebrew address in letters, not percent-encoded.
        ArticleRedirect.objects.update_or_create(
            old_path=uri_to_iri(previous.get_absolute_url()), defaults={"article": instance}
        )
    # A story moved back to an earlier address: that address is live again, not a redirect.
    if instance.section_id is not None:
        live = reverse(
            "articles:article", kwargs={"section": instance.section.slug, "slug": instance.slug}
        )
        ArticleRedirect.objects.filter(old_path=uri_to_iri(live)).delete()


def mark_corrected_story_updated(sender, instance, raw=False, **kwargs):
    """A correction is a change readers must be told of: the story shows it as updated. The
    pages showing it are purged by the correction's own save (public/invalidation.py)."""
    if raw:
        return
    Article.objects.filter(pk=instance.article_id).filter(
        models.Q(revised_at__isnull=True) | models.Q(revised_at__lt=instance.published_at)
    ).update(revised_at=instance.published_at, updated_at=timezone.now())


def fetch_embed_previews(sender, instance, raw=False, **kwargs):
    """Ask video providers about the story's new videos once it is committed: a call over the
    network, so never inside the story's transaction, and never while a page renders."""
    if raw or not settings.NEWSROOM_EMBED_PREVIEWS:
        return
    if any(block.get("type") == "embed" for block in instance.blocks or ()):
        blocks = instance.blocks
        transaction.on_commit(lambda: embed_previews.fetch_missing(blocks))


def register_signal_handlers() -> None:
    pre_save.connect(stamp_material_revision, sender=Article)
    pre_save.connect(note_review_moves, sender=Article)
    post_save.connect(tell_editors_of_review_request, sender=Article)
    post_save.connect(keep_old_address, sender=Article)
    post_save.connect(fetch_embed_previews, sender=Article)
    post_save.connect(mark_corrected_story_updated, sender=Correction)
