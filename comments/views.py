import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from articles import caching
from articles.models import Article
from articles.public.invalidation import story_key

from . import editing, moderation, quiet_hours
from .caching import comments_version
from .client_address import client_ip
from .forms import CommentForm, EditForm, ReportForm
from .models import Comment, comments_are_open
from .notifications import notify_soon
from .origin import is_cross_origin

log = logging.getLogger(__name__)

# Seconds a reader is asked to wait before trying again while the database is away.
RETRY_AFTER = 30


def over_rate_limit(request, scope: str) -> bool:
    """Count this request against the reader's per-minute allowance, in the counter
    settings.COMMENTS_RATE_COUNTER names (one every process shares, which nothing evicts)."""
    hit = import_string(settings.COMMENTS_RATE_COUNTER)
    count = hit(f"comments:rate:{scope}:{client_ip(request)}"[:100], timedelta(minutes=1))
    return count > settings.COMMENTS_RATE_LIMIT_PER_MINUTE


def rate_limited(request):
    return render(request, "comments/rate_limited.html", status=429)


def public_article(article_id):
    return get_object_or_404(Article.objects.published().select_related("section"), pk=article_id)


def comments_closed(request, article, paused_until=None):
    context = {"article": article, "paused_until": paused_until}
    return render(request, "comments/closed.html", context, status=403)


def private(response):
    add_never_cache_headers(response)
    return response


@csrf_exempt  # no per-reader token on a shared page: the origin is checked instead
@require_POST
def post_comment(request, article_id):
    if is_cross_origin(request):
        return private(render(request, "comments/cross_origin.html", status=403))
    try:
        # Counted in the database too: while it is away, the reader is told their comment
        # was not saved, like any other failure to store it.
        if over_rate_limit(request, "post"):
            return rate_limited(request)
        return store_comment(request, article_id)
    except DatabaseError:
        # Nothing half-written: the comment is one INSERT in a transaction, rolled back.
        log.exception("Database unavailable: a comment was not saved")
        response = render(request, "comments/not_saved.html", status=503)
        response.headers["Retry-After"] = str(RETRY_AFTER)
        return private(response)


def store_comment(request, article_id):
    article = public_article(article_id)
    if not comments_are_open(article):
        return comments_closed(request, article)
    if paused_until := quiet_hours.reopens_at():
        return comments_closed(request, article, paused_until)
    form = CommentForm(request.POST, article=article)
    if not form.is_valid():
        return private(
            render(
                request, "comments/form_page.html", {"article": article, "form": form}, status=400
            )
        )
    data = form.cleaned_data
    ip_address = client_ip(request)
    verdict = moderation.check(
        article=article,
        body=data["body"],
        email=data["email"],
        ip_address=ip_address,
        honeypot_filled=form.honeypot_filled,
        seconds_to_fill=form.seconds_to_fill,
    )
    status, trusted = moderation.initial_status(verdict, data["email"])
    with transaction.atomic():
        comment = Comment.objects.create(
            article=article,
            parent=data["parent"],
            name=data["name"],
            email=data["email"],
            body=data["body"],
            status=status,
            auto_approved=trusted,
            flags=verdict.flags,
            moderation_reason=verdict.reason,
            ip_address=ip_address,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        )
        if status == Comment.Status.SPAM:
            comment.record_spam_on_arrival(verdict.reason or "Caught by the automatic checks.")
    if status == Comment.Status.PENDING:
        try:
            notify_soon(request.build_absolute_uri("/"))
        except DatabaseError:
            log.exception("Could not mail the moderators; the command will")
    # Bots and banned authors see the same page as everyone: nothing tells them they were caught.
    response = redirect_to_article(article, "sent")
    # The confirmation links to /comments/edit/, which finds this reader's comment by this cookie.
    editing.remember(response, comment)
    return response


def redirect_to_article(article, outcome):
    response = redirect(f"{article.get_absolute_url()}?comment={outcome}#comments")
    response.status_code = 303
    return response


@require_safe
@caching.reader_page()
def reply(request, article_id, comment_id):
    """The form to answer a comment, for readers who follow a comment's Reply link."""
    comments_version(request, article_id)
    article = public_article(article_id)
    caching.shows(request, [story_key(article.pk)])
    parent = get_object_or_404(Comment.objects.approved(), pk=comment_id, article=article)
    if not comments_are_open(article):
        return comments_closed(request, article)
    if paused_until := quiet_hours.reopens_at():
        return comments_closed(request, article, paused_until)
    form = CommentForm(article=article, initial={"parent": parent.pk})
    return render(
        request, "comments/form_page.html", {"article": article, "form": form, "parent": parent}
    )


@require_safe
@caching.reader_page(params=("page",))
def comment_list(request, article_id):
    """Every approved comment on a story, a page of threads at a time."""
    comments_version(request, article_id)
    article = public_article(article_id)
    caching.shows(request, [story_key(article.pk)])
    threads = Comment.objects.threads_for(article)
    page = Paginator(threads, settings.COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "comments/list.html",
        {
            "article": article,
            "page": page,
            "open": comments_are_open(article),
            "count": Comment.objects.approved().filter(article=article).count(),
        },
    )


def report(request, comment_id):
    comment = get_object_or_404(
        Comment.objects.approved().select_related("article"),
        pk=comment_id,
        article__in=Article.objects.published(),
    )
    article = comment.article
    if request.method == "POST":
        if over_rate_limit(request, "report"):
            return rate_limited(request)
        form = ReportForm(request.POST)
        if form.is_valid():
            comment.report(reason=form.cleaned_data["reason"], ip_address=client_ip(request))
            return redirect_to_article(article, "reported")
        status = 400
    else:
        form, status = ReportForm(), 200
    return render(
        request,
        "comments/report.html",
        {"article": article, "comment": comment, "form": form},
        status=status,
    )


@require_safe
def edit_mine(request):
    """Where the confirmation's link leads: on to the signed link of the comment just posted."""
    token = request.COOKIES.get(editing.COOKIE, "")
    comment = editing.comment_for_token(token) if token else None
    if comment is None:
        return render(request, "comments/edit.html", {"nothing": True}, status=404)
    if refused := comment.change_refused():
        return edit_refused(request, comment, refused)
    return redirect("comments:edit", token)


def edit(request, token):
    """The reader edits or withdraws their comment through the signed link, within the time allowed."""
    comment = editing.comment_for_token(token)
    if comment is None:
        raise Http404("This link is not valid.")
    article = comment.article
    if refused := comment.change_refused():
        return edit_refused(request, comment, refused)
    form = EditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST":
        try:
            if "withdraw" in request.POST:
                comment.withdraw()
                return redirect_to_article(article, "withdrawn")
            if form.is_valid():
                body = form.cleaned_data["body"]
                comment.edit_by_author(body, flags=moderation.recheck_edit(comment, body))
                return redirect_to_article(article, "edited")
        except ValidationError as error:  # the time ran out, or a moderator decided meanwhile
            return edit_refused(request, comment, error)
    status = 400 if form.errors else 200
    context = {"comment": comment, "article": article, "form": form}
    return render(request, "comments/edit.html", context, status=status)


def edit_refused(request, comment, error):
    """Why the comment can no longer be changed: 410 once its time has passed, 409 once a
    moderator has turned it down."""
    context = {
        "comment": comment,
        "refused": error.message,
        "edit_minutes": settings.COMMENTS_EDIT_MINUTES,
    }
    status = 409 if error.code == "decided" else 410
    return private(render(request, "comments/edit.html", context, status=status))
