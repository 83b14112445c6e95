from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_noop

from articles import caching
from comments import quiet_hours
from comments.caching import comments_version
from comments.forms import CommentForm
from comments.models import Comment, StoryCommentCount, comments_are_open
from comments.outcomes import OUTCOME_MESSAGES
from comments.thread_queries import threads_for
from comments.threads_html import threads_html

register = template.Library()

POLICY = gettext_noop(
    "Do not send comments that include inflammatory words, defamation and content "
    "that exceeds the limit of good taste."
)


def render_threads(article, is_open: bool) -> dict:
    """The story's approved threads as HTML, and its count: at most three queries however many
    comments there are (the capped threads, their replies, and the story's kept count when not
    every thread fits on the article page)."""
    shown = settings.COMMENTS_SHOWN_ON_ARTICLE
    threads = threads_for(article, shown + 1)
    more = len(threads) > shown
    threads = threads[:shown]
    if more:
        count = StoryCommentCount.of(article.pk)
    else:
        # A withdrawn comment holding its thread is a placeholder, not a comment to count.
        count = sum((thread.withdrawn_at is None) + len(thread.shown_replies) for thread in threads)
    return {"html": threads_html(article, threads, is_open), "count": count, "more": more}


@register.simple_tag(takes_context=True)
def comments_region(context, article):
    """The whole comments region of an article page: count, outcome of a post, policy, form,
    threads and the link to more. Nothing in it belongs to one reader, so the page is shared.

    Its threads are rendered once per version of the story's comments; the whole region, form
    included, is kept like the page's other parts (articles.caching.fragment_seconds()): the form's
    signed time is then as old as the region, at most that long, as it is in a whole-page copy.
    """
    request = context["request"]
    is_open = comments_are_open(article)
    paused_until = quiet_hours.reopens_at() if is_open else None
    outcome = request.GET.get("comment", "")
    outcome = outcome if outcome in OUTCOME_MESSAGES else ""

    def render(threads):
        return render_to_string(
            "comments/region.html",
            {
                "article": article,
                "threads": threads,
                "open": is_open,
                "paused_until": paused_until,
                "offer_edit": outcome in ("sent", "edited"),
                "edit_minutes": settings.COMMENTS_EDIT_MINUTES,
                "policy": gettext(POLICY),
                "outcome": gettext(OUTCOME_MESSAGES[outcome]) if outcome else None,
                "form": CommentForm(article=article) if is_open and not paused_until else None,
            },
            request=request,
        )

    # The page depends on the story's comments version (whole-page copies and parts alike).
    version = comments_version(request, article.pk)
    state = f"{article.pk}:{int(is_open)}"

    def threads():
        return caching.shared_part(
            request, f"comments:threads:{state}", lambda: render_threads(article, is_open), version
        )

    return mark_safe(
        caching.shared_part(
            request,
            f"comments:region:{state}:{paused_until and paused_until.isoformat()}:{outcome}",
            lambda: render(threads()),
            version,
        )
    )


def comment_threads(article, threads, is_open: bool):
    """A page of the story's threads (comments/threads_html.py), as on the article page."""
    return threads_html(article, threads, is_open)


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
