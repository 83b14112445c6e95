"""The one rule for what markup a story body may contain."""

import nh3

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

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes={"a": {"href", "title"}, "ol": {"start"}},
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer nofollow",
)


def sanitize_html(html: str) -> str:
    """Strip every tag, attribute and URL scheme a story body does not need."""
    cleaned = _cleaner.clean(html or "").strip()
    return "" if cleaned in {"<p></p>", ""} else cleaned
