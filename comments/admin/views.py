"""The moderation desk's own admin pages: a comment's thread in context, the statistics, and
closing or reopening a story's comments. Routed by CommentAdmin.get_urls (comments.py), behind admin_view."""

from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.models import Article
from comments import stats as moderation_stats
from comments.models import Comment
from comments.moderation import highlight
from comments.queue import queue_url


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _context(request, title: str, **extra) -> dict:
    return {
        **admin.site.each_context(request),
        "title": title,
        "opts": Comment._meta,
        **extra,
    }


def thread(request, comment_id):
    """A comment's whole thread as readers see it, with the comments still waiting marked."""
    _require(request, "comments.view_comment")
    comment = get_object_or_404(
        Comment.objects.select_related("article__section", "parent"), pk=comment_id
    )
    top = comment.parent or comment
    shown = [Comment.Status.APPROVED, Comment.Status.PENDING]
    # The comment itself is shown whatever its status; its neighbours as readers would see them.
    replies = list(
        Comment.objects.filter(Q(parent=top, status__in=shown) | Q(pk=comment.pk))
        .exclude(pk=top.pk)
        .order_by("created_at", "pk")
    )
    for item in [top, *replies]:
        item.highlighted = highlight(item.body, item.flags.get("banned_words", []))
    return TemplateResponse(
        request,
        "admin/comments/thread.html",
        _context(
            request,
            _("Thread on “%(headline)s”") % {"headline": comment.article.headline},
            comment=comment,
            top=top,
            replies=replies,
            article=comment.article,
        ),
    )


def stats(request):
    """The desk's view of moderation over the last 30 days."""
    _require(request, "comments.view_comment")
    return TemplateResponse(
        request,
        "admin/comments/stats.html",
        _context(request, _("Moderation over time"), stats=moderation_stats.summary()),
    )


@require_POST
def open_or_close_story(request, article_id):
    """Editors and moderators close or reopen a public story's comments from the queue.

    Drafts and scheduled stories are the desk's, not the moderators'. The story's updated_at is
    left alone: it dates the editors' changes (the "no lost edits" check of the story form, and
    what readers are told was updated); the story form keeps this setting unless an editor
    changes it there (ArticleForm.keep_comments_setting). The save's signal purges its pages.
    """
    _require(request, "comments.close_comments")
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    article.comments_open = request.POST.get("open") == "1"
    article.save(update_fields=["comments_open"])
    done = "Reopened" if article.comments_open else "Closed"
    LogEntry.objects.log_actions(
        user_id=request.user.pk,
        queryset=[article],
        action_flag=CHANGE,
        change_message=f"{done} comments from the moderation queue",
        single_object=True,
    )
    message = (
        _("Reopened comments on “%(headline)s”.")
        if article.comments_open
        else _("Closed comments on “%(headline)s”.")
    )
    messages.success(request, message % {"headline": article.headline})
    return redirect(queue_url(request))
