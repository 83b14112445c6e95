"""Readers' pages of a story start afresh once what they show of its comments changes: a comment
approved, or an approved one rejected, edited or deleted. New pending comments change nothing
readers see, so a busy story's page stays cached while comments pour in. The story's kept count
of comments (models/counts.py) changes with them, in the same transaction."""

from django.db.models.signals import post_delete, post_save

from articles.models import Article

from .caching import refresh_story_comments
from .models import Comment, StoryCommentCount


def refresh_pages_showing_comment(sender, instance, raw=False, origin=None, **kwargs):
    shown_before = getattr(instance, "_loaded_status", None) == Comment.Status.APPROVED
    if not raw and (shown_before or instance.status == Comment.Status.APPROVED):
        # A story being deleted takes its comments and its count with it: nothing to count.
        if getattr(origin, "model", type(origin)) is not Article:
            StoryCommentCount.recount(instance.article_id)
        refresh_story_comments(instance.article_id)
    instance._loaded_status = instance.status


def register_signal_handlers() -> None:
    post_save.connect(refresh_pages_showing_comment, sender=Comment)
    post_delete.connect(refresh_pages_showing_comment, sender=Comment)
