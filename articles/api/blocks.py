"""The story body as the API gives it: blocks in the interchange shape of `load_stories` and
`dump_stories` (CONTRACT.md). Every representation reads the body through these two functions."""

from articles.models import Article


def story_blocks(article: Article) -> list[dict]:
    """The story's blocks as stored (articles/models/blocks.py): photos and linked stories by
    their ids, every HTML field sanitised."""
    return [dict(block) for block in article.blocks]


def story_html(article: Article) -> str:
    """The body as one piece of HTML, for formats without blocks (ninjs `bodies`): the blocks'
    words, as the story stores them for search (blocks.readable_html)."""
    return article.body
