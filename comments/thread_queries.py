"""The article page's comment threads and their replies, in queries compiled once per process
(articles/models/kept_queries.py): the same rows, in the same order, as
Comment.objects.threads_for() and its prefetch of replies."""

import functools

from django.db.models import Q

from articles.models.kept_queries import ID, IDS, KeptQuery, any_of
from comments.models import Comment


def threads_for(article, count: int) -> list[Comment]:
    """The first `count` of `article`'s threads (Comment.objects.threads_for()), each with its
    `shown_replies`, in two queries."""
    threads = _threads(count).rows(id=article.pk)
    for thread in threads:
        thread.shown_replies = []
    if threads:
        by_id = {thread.pk: thread for thread in threads}
        for reply in _REPLIES.rows(ids=list(by_id)):
            by_id[reply.parent_id].shown_replies.append(reply)
    return threads


@functools.cache
def _threads(count: int) -> KeptQuery:
    return KeptQuery(lambda: Comment.objects.threads_for(ID)[:count])


def _replies():
    shown = Q(status=Comment.Status.APPROVED, withdrawn_at__isnull=True)
    return Comment.objects.filter(shown, any_of("parent_id", IDS)).order_by("created_at")


_REPLIES = KeptQuery(_replies)
