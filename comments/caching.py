"""What a story's comments change in cached pages. Each story's comments have a version of their
own (articles.caching.keep_own_versions): a moderator's decision refreshes that story's pages
and the parts showing its comments, and leaves the rest of the site cached."""

from articles import caching

KEY_PREFIX = "comments-"


def comments_key(article_id) -> str:
    return f"{KEY_PREFIX}{article_id}"


def comments_version(request, article_id) -> str:
    """The version of a story's comments; the page being rendered now depends on it."""
    return caching.depends_on(request, comments_key(article_id))


def refresh_story_comments(article_id) -> None:
    caching.purge([comments_key(article_id)])


def register_key_prefix() -> None:
    caching.keep_own_versions(KEY_PREFIX)
