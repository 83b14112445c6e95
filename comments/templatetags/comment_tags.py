from django import template
from django.conf import settings
from django.template.loader import render_to_string

from comments import editing, quiet_hours
from comments.forms import CommentForm
from comments.models import Comment, comments_are_open

register = template.Library()

POLICY = (
    "Do not send comments that include inflammatory words, defamation and content "
    "that exceeds the limit of good taste."
)


@register.simple_tag(takes_context=True)
def comments_region(context, article):
    """The whole comments region of an article page: count, policy, form, threads, link to more.

    At most three queries however many comments there are: the capped threads, their replies,
    and the count when not every thread fits on the article page.
    """
    request = context["request"]
    shown = settings.COMMENTS_SHOWN_ON_ARTICLE
    threads = list(Comment.objects.threads_for(article)[: shown + 1])
    more = len(threads) > shown
    threads = threads[:shown]
    if more:
        count = Comment.objects.approved().filter(article=article).count()
    else:
        count = len(threads) + sum(len(thread.shown_replies) for thread in threads)
    is_open = comments_are_open(article)
    paused_until = quiet_hours.reopens_at() if is_open else None
    return render_to_string(
        "comments/region.html",
        {
            "article": article,
            "threads": threads,
            "count": count,
            "more": more,
            "open": is_open,
            "paused_until": paused_until,
            "edit_link": editing.edit_link(request.GET.get("edit", "")),
            "policy": POLICY,
            "form": CommentForm(article=article) if is_open and not paused_until else None,
        },
        request=request,
    )


@register.simple_tag
def moderation_counts() -> dict[str, int]:
    """The queues' counts for the admin home (one query)."""
    return Comment.objects.queue_counts()


@register.filter
def dictvalue(mapping: dict, key) -> int:
    return mapping.get(key, 0)


@register.filter
def minutes(seconds: float | None) -> str:
    """A wait in seconds as people read it: "—", "45 s", "12 min", "3 h 5 min"."""
    if seconds is None:
        return "—"
    if seconds < 60:
        return f"{round(seconds)} s"
    total = round(seconds / 60)
    hours, mins = divmod(total, 60)
    return f"{hours} h {mins} min" if hours else f"{mins} min"
