"""The comments app's models: comments with their reports and decisions, and bans.

This package only re-exports; modules inside import their siblings directly.
"""

from .bans import Ban, BannedWord
from .comments import Comment, CommentChanged, CommentQuerySet, comments_are_open
from .counts import StoryCommentCount
from .decisions import Decision
from .reports import Report

__all__ = [
    "Ban",
    "BannedWord",
    "Comment",
    "CommentChanged",
    "CommentQuerySet",
    "Decision",
    "Report",
    "StoryCommentCount",
    "comments_are_open",
]
