"""Commenters fix their own words: a signed link, shown with the confirmation after posting, lets
the reader edit or withdraw their comment for COMMENTS_EDIT_MINUTES, without an account.

The signature proves the link was ours for that comment; the time limit is the comment's own
(`Comment.editable_until`), so a link cannot be stretched by re-signing.
"""

from django.core import signing
from django.urls import reverse

from .models import Comment

SALT = "comments.edit"


def edit_token(comment: Comment) -> str:
    return signing.dumps({"id": comment.pk, "at": comment.created_at.timestamp()}, salt=SALT)


def comment_for_token(token: str) -> Comment | None:
    """The comment a genuine token names (whether or not it may still be changed), else None."""
    try:
        data = signing.loads(token, salt=SALT)
        comment_id, created = int(data["id"]), float(data["at"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    comment = Comment.objects.select_related("article__section").filter(pk=comment_id).first()
    if comment is None or abs(comment.created_at.timestamp() - created) > 0.001:
        return None
    return comment


def edit_link(token: str) -> dict | None:
    """For the confirmation: where to edit and until when, if the token is genuine and in time."""
    comment = comment_for_token(token) if token else None
    if comment is None or not comment.is_editable():
        return None
    return {"url": reverse("comments:edit", args=[token]), "until": comment.editable_until}
