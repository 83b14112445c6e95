"""The one rule for what markup a story body may contain, and the one way to read its text."""

import html
import re

import nh3
from django.utils.html import strip_tags

# What the editor widget can produce: paragraphs, headings, emphasis, links, lists, quotes.
BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3, 4]},
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "History": True,
    # The package turns the browser's spell-checker off by default; writers want it on.
    "NoSpellCheck": False,
}

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "b", "i", "a",
    "ul", "ol", "li", "blockquote",
}  # fmt: skip


def _cleaner_with(link_rel: str) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "ol": {"start"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=link_rel,
    )


_cleaner = _cleaner_with("noopener noreferrer nofollow")
# A sponsored story's links were paid for: search engines are told so (rel="sponsored"). Every
# link of its body carries it, as every link carries nofollow: the whole body is paid content.
_sponsored_cleaner = _cleaner_with("sponsored noopener noreferrer nofollow")


def sanitize_html(html: str, *, sponsored: bool = False) -> str:
    """Strip every tag, attribute and URL scheme a story body does not need."""
    cleaner = _sponsored_cleaner if sponsored else _cleaner
    cleaned = cleaner.clean(html or "").strip()
    return "" if cleaned in {"<p></p>", ""} else cleaned


# Where one block of text ends and the next begins: their words must not run together.
_BLOCK_END = re.compile(r"(?i)</(?:p|h[1-6]|li|blockquote)>|<br\s*/?>")


def plain_text(markup: str) -> str:
    """What readers read of an HTML fragment: markup gone, entities decoded, blocks apart,
    white space folded. Word counts, diffs, descriptions and search excerpts all read this."""
    spaced = _BLOCK_END.sub(" ", markup or "")
    return " ".join(html.unescape(strip_tags(spaced)).split())
