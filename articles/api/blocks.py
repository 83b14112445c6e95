"""The story body as the API gives it: blocks in the interchange shape of `load_stories` and
`dump_stories` (CONTRACT.md). Every representation reads the body through these two functions,
so that when stories are stored as typed blocks only this module changes."""

from articles.models import Article


def story_blocks(article: Article) -> list[dict]:
    """The body as blocks. Today a story body is one piece of sanitised rich text."""
    if not article.body.strip():
        return []
    return [{"type": "text", "html": article.body}]


def story_html(article: Article) -> str:
    """The body as one piece of HTML, for formats without blocks (ninjs `bodies`)."""
    return "".join(block["html"] for block in story_blocks(article) if block["type"] == "text")
