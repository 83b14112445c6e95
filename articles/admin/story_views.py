"""A story's own admin pages past the change form: the edit lock's heartbeat and the comparison
of two versions. Routed by ArticleAdmin.get_urls, behind admin_view; each asks the story admin
who may see or change the story, so the rules stay in one place."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.editorial import revisions
from articles.models import Article, edit_locks


def _story_admin():
    return admin.site.get_model_admin(Article)


@require_POST
def renew_lock(request, object_id):
    """The change page's heartbeat: keep this editor's lock while the page is open."""
    article = _story_admin().get_object(request, unquote(object_id))
    if article is None or not _story_admin().has_change_permission(request, article):
        raise PermissionDenied
    other = edit_locks.take(article, request.user)
    if other is not None:
        return HttpResponse(f"Being edited by {other.user.get_username()}", status=409)
    return HttpResponse(status=204)


def compare(request, object_id):
    """Two versions of a story side by side as a word diff of what readers see."""
    article = _story_admin().get_object(request, unquote(object_id))
    if article is None:
        raise Http404("No such story.")
    if not _story_admin().has_view_or_change_permission(request, article):
        raise PermissionDenied
    versions = {str(v.pk): v for v in revisions.versions_of(article.pk)}
    older, newer = versions.get(request.GET.get("a")), versions.get(request.GET.get("b"))
    if older is None or newer is None:
        messages.error(request, _("Choose two versions of this story to compare."))
        return redirect("admin:articles_article_history", article.pk)
    if older.revision.date_created > newer.revision.date_created:
        older, newer = newer, older
    context = {
        **admin.site.each_context(request),
        "opts": Article._meta,
        "original": article,
        "title": f"Compare versions of “{article}”",
        "older": older,
        "newer": newer,
        "changes": revisions.compare(
            revisions.snapshot_of_version(older), revisions.snapshot_of_version(newer)
        ),
    }
    return TemplateResponse(request, "admin/articles/article/compare.html", context)
