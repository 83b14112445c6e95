from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from articles.models import Article

from . import editing, moderation, quiet_hours
from .forms import CommentForm, EditForm, ReportForm
from .models import Comment, comments_are_open
from .notifications import notify_soon

SENT_MESSAGE = (
    "The comment was sent successfully. Soon the response will be examined by our editors "
    "and if it is found to be correct it will be published on the website."
)
REPORTED_MESSAGE = "Thank you. A moderator will look at this comment."
# Messages carrying this tag are shown by the comments region, next to the form.
MESSAGE_TAG = "comments"


def client_ip(request) -> str | None:
    """The reader's address: the socket's, or the one our trusted proxies recorded."""
    proxies = settings.COMMENTS_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR") or None


def over_rate_limit(request, scope: str) -> bool:
    """Count this request against the reader's per-minute allowance, shared through the cache."""
    key = f"comments:rate:{scope}:{client_ip(request)}"
    if cache.add(key, 1, 60):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, 60)
        return False
    return count > settings.COMMENTS_RATE_LIMIT_PER_MINUTE


def rate_limited(request):
    return render(request, "comments/rate_limited.html", status=429)


def public_article(article_id):
    return get_object_or_404(Article.objects.published().select_related("section"), pk=article_id)


def comments_closed(request, article, paused_until=None):
    context = {"article": article, "paused_until": paused_until}
    return render(request, "comments/closed.html", context, status=403)


@require_POST
def post_comment(request, article_id):
    if over_rate_limit(request, "post"):
        return rate_limited(request)
    article = public_article(article_id)
    if not comments_are_open(article):
        return comments_closed(request, article)
    if paused_until := quiet_hours.reopens_at():
        return comments_closed(request, article, paused_until)
    form = CommentForm(request.POST, article=article)
    if not form.is_valid():
        return render(
            request, "comments/form_page.html", {"article": article, "form": form}, status=400
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
    if status == Comment.Status.PENDING:
        notify_soon(request.build_absolute_uri("/"))
    # Bots and banned authors see the same page as everyone: nothing tells them they were caught.
    messages.success(request, SENT_MESSAGE, extra_tags=MESSAGE_TAG)
    # The confirmation offers the signed edit link, carried in the address (no per-reader state).
    return redirect_to_article(article, query=f"?edit={editing.edit_token(comment)}")


def redirect_to_article(article, query=""):
    response = redirect(f"{article.get_absolute_url()}{query}#comments")
    response.status_code = 303
    return response


def reply(request, article_id, comment_id):
    """The form to answer a comment, for readers who follow a comment's Reply link."""
    article = public_article(article_id)
    parent = get_object_or_404(Comment.objects.approved(), pk=comment_id, article=article)
    if not comments_are_open(article):
        return comments_closed(request, article)
    if paused_until := quiet_hours.reopens_at():
        return comments_closed(request, article, paused_until)
    form = CommentForm(article=article, initial={"parent": parent.pk})
    return render(
        request, "comments/form_page.html", {"article": article, "form": form, "parent": parent}
    )


def comment_list(request, article_id):
    """Every approved comment on a story, a page of threads at a time."""
    article = public_article(article_id)
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
            messages.success(request, REPORTED_MESSAGE, extra_tags=MESSAGE_TAG)
            return redirect_to_article(article)
        status = 400
    else:
        form, status = ReportForm(), 200
    return render(
        request,
        "comments/report.html",
        {"article": article, "comment": comment, "form": form},
        status=status,
    )


EDITED_MESSAGE = "Your comment was changed. A moderator will look at it before it is published."
WITHDRAWN_MESSAGE = "Your comment was withdrawn."


def edit(request, token):
    """The reader edits or withdraws their comment through the signed link, within the time allowed."""
    comment = editing.comment_for_token(token)
    if comment is None:
        raise Http404("This link is not valid.")
    article = comment.article
    if not comment.is_editable():
        return edit_expired(request, comment)
    form = EditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST":
        try:
            if "withdraw" in request.POST:
                comment.withdraw()
                messages.success(request, WITHDRAWN_MESSAGE, extra_tags=MESSAGE_TAG)
                return redirect_to_article(article)
            if form.is_valid():
                body = form.cleaned_data["body"]
                comment.edit_by_author(body, flags=moderation.recheck_edit(comment, body))
                messages.success(request, EDITED_MESSAGE, extra_tags=MESSAGE_TAG)
                return redirect_to_article(article, query=f"?edit={token}")
        except ValidationError:  # the time ran out while the reader was typing
            return edit_expired(request, comment)
    status = 400 if form.errors else 200
    context = {"comment": comment, "article": article, "form": form}
    return render(request, "comments/edit.html", context, status=status)


def edit_expired(request, comment):
    context = {"comment": comment, "expired": True, "edit_minutes": settings.COMMENTS_EDIT_MINUTES}
    return render(request, "comments/edit.html", context, status=410)
