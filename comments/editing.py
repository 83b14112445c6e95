"""Commenters fix their own words: a signed link lets the reader edit or withdraw their comment
for COMMENTS_EDIT_MINUTES, without an account.

The signature proves the link was ours for that comment; the time limit is the comment's own
(`Comment.editable_until`), so a link cannot be stretched by re-signing.

The story page a reader lands on after posting is the same for everyone who just posted
(`?comment=sent`, cached and shared), so it cannot carry this reader's link. The post's answer
sets the signed token in a cookie scoped to /comments/edit/ (it never reaches a story page, so
those stay cookie-free and shared), and the confirmation links to /comments/edit/, which sends
the reader on to their own signed link.
"""

from django.conf import settings
from django.core import signing

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


COOKIE = "comment_edit"
COOKIE_PATH = "/comments/edit/"


def remember(response, comment: Comment) -> None:
    """Give the reader who just posted the signed token of their comment, for /comments/edit/."""
    response.set_cookie(
        COOKIE,
        edit_token(comment),
        max_age=settings.COMMENTS_EDIT_MINUTES * 60,
        path=COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
