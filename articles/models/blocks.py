"""A story's body: an ordered list of typed blocks, stored as JSON on the story.

Why a JSON list on the story rather than a table of blocks: a story is read and written whole
(page, feed, revision, interchange), never one block at a time, so one column is one read and one
write, a version (django-reversion) holds the blocks without a follow, and the stored shape is the
interchange shape of ../shared/CONTRACT.md (photos and stories by id). Photos used by blocks are
also kept as a relation (`Article.block_photos`, written on save) so that "which stories show this
photo" is an indexed query on every database.

Every block passes through `clean_blocks` before it is stored: each type has one cleaning
function below that checks its fields, drops nothing silently (unknown fields are an error) and
sanitises every HTML-bearing field with the story body's rule (richtext.sanitize_html). Plain
text fields are stored as typed and escaped when rendered.
"""

import html

from django.core.exceptions import ValidationError
from django.utils import dateformat
from django.utils.translation import gettext as _

from . import embeds
from .photos import Photo
from .richtext import plain_text, sanitize_html

PHOTO_SIZES = ("column", "wide", "full")
MAX_BLOCKS = 300
MAX_TEXT = 2000  # a heading, quote, caption or table cell
MAX_TABLE_CELLS = 2000


class BlockError(ValidationError):
    """A block that cannot be stored; the message names the block and the field."""


def _text(block: dict, field: str, *, required=False, limit=MAX_TEXT) -> str:
    value = block.get(field, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise BlockError(f"{field} must be text.")
    value = value.strip()
    if required and not value:
        raise BlockError(f"{field} is required.")
    if len(value) > limit:
        raise BlockError(f"{field} is longer than {limit} characters.")
    # Control characters (other than line breaks) have no place in a caption or a cell.
    return "".join(ch for ch in value if ch in "\n\t" or ch >= " ")


def _html(block: dict, field: str, *, required=False) -> str:
    value = block.get(field, "") or ""
    if not isinstance(value, str):
        raise BlockError(f"{field} must be HTML text.")
    cleaned = sanitize_html(value)
    if required and not plain_text(cleaned):
        raise BlockError(f"{field} is empty.")
    return cleaned


def _photo_id(value, field="photo") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise BlockError(f"{field} must be the id of a photo in the library.")
    return value


def clean_text(block):
    return {"type": "text", "html": _html(block, "html", required=True)}


def clean_heading(block):
    return {"type": "heading", "text": _text(block, "text", required=True, limit=200)}


def clean_photo(block):
    size = block.get("size") or "column"
    if size not in PHOTO_SIZES:
        raise BlockError(f"size must be one of {', '.join(PHOTO_SIZES)}.")
    return {
        "type": "photo",
        "photo": _photo_id(block.get("photo")),
        "caption": _text(block, "caption"),
        "size": size,
    }


def clean_gallery(block):
    items = block.get("photos")
    if not isinstance(items, list) or len(items) < 2:
        raise BlockError("photos: a gallery needs two or more photos.")
    photos = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or set(item) - {"photo", "caption"}:
            raise BlockError(f"photos {n}: give a photo id and an optional caption.")
        photos.append(
            {
                "photo": _photo_id(item.get("photo"), f"photos {n}"),
                "caption": _text(item, "caption"),
            }
        )
    return {"type": "gallery", "caption": _text(block, "caption"), "photos": photos}


def clean_embed(block):
    url = block.get("url")
    if not isinstance(url, str) or not url.strip():
        raise BlockError("url is required.")
    try:
        return {"type": "embed", "url": embeds.recognise(url).url}
    except ValidationError as error:
        raise BlockError(f"url: {error.messages[0]}") from None


def clean_quote(block):
    return {
        "type": "quote",
        "text": _text(block, "text", required=True),
        "attribution": _text(block, "attribution", limit=200),
    }


def clean_factbox(block):
    return {
        "type": "factbox",
        "title": _text(block, "title", required=True, limit=200),
        "html": _html(block, "html", required=True),
    }


def clean_table(block):
    header = block.get("header") or []
    rows = block.get("rows")
    if not isinstance(header, list) or not all(isinstance(cell, str) for cell in header):
        raise BlockError("header must be a list of text cells.")
    if (
        not isinstance(rows, list)
        or not rows
        or not all(isinstance(row, list) and all(isinstance(c, str) for c in row) for row in rows)
    ):
        raise BlockError("rows must be one or more lists of text cells.")
    if sum(len(row) for row in rows) + len(header) > MAX_TABLE_CELLS:
        raise BlockError(f"a table has at most {MAX_TABLE_CELLS} cells.")
    cell = lambda value: _text({"cell": value}, "cell")  # noqa: E731
    return {
        "type": "table",
        "caption": _text(block, "caption", required=True, limit=300),
        "header": [cell(value) for value in header],
        "rows": [[cell(value) for value in row] for row in rows],
    }


def clean_story(block):
    story = block.get("story")
    if isinstance(story, bool) or not isinstance(story, int) or story < 1:
        raise BlockError("story must be the id of another story.")
    return {"type": "story", "story": story}


# The block types, in the order the editor offers them, with their fields (the interchange
# shape's, all of them: any other field is an error).
BLOCK_TYPES = {
    "text": (clean_text, {"html"}),
    "heading": (clean_heading, {"text"}),
    "photo": (clean_photo, {"photo", "caption", "size"}),
    "gallery": (clean_gallery, {"caption", "photos"}),
    "embed": (clean_embed, {"url"}),
    "quote": (clean_quote, {"text", "attribution"}),
    "factbox": (clean_factbox, {"title", "html"}),
    "table": (clean_table, {"caption", "header", "rows"}),
    "story": (clean_story, {"story"}),
}


def clean_block(block) -> dict:
    if not isinstance(block, dict):
        raise BlockError("a block is an object with a type.")
    kind = block.get("type")
    if kind not in BLOCK_TYPES:
        raise BlockError(f"type must be one of {', '.join(BLOCK_TYPES)}, not {kind!r}.")
    clean, fields = BLOCK_TYPES[kind]
    if unknown := sorted(set(block) - fields - {"type"}):
        raise BlockError(f"{kind} blocks have no field {', '.join(unknown)}.")
    return clean(block)


def clean_blocks(blocks) -> list[dict]:
    """The blocks as they are stored, or a ValidationError listing every bad block by its
    place and type ("Block 3 (embed): url: …")."""
    if blocks in (None, ""):
        return []
    if not isinstance(blocks, list):
        raise ValidationError(_("The body must be a list of blocks."))
    if len(blocks) > MAX_BLOCKS:
        raise ValidationError(_("A story has at most %(count)d blocks.") % {"count": MAX_BLOCKS})
    cleaned, errors = [], []
    for n, block in enumerate(blocks, 1):
        try:
            cleaned.append(clean_block(block))
        except ValidationError as error:
            kind = block.get("type") if isinstance(block, dict) else None
            label = (
                _("Block %(n)d (%(kind)s)") % {"n": n, "kind": kind}
                if kind in BLOCK_TYPES
                else _("Block %(n)d") % {"n": n}
            )
            errors.append(f"{label}: {error.messages[0]}")
    if errors:
        raise ValidationError(errors)
    return cleaned


def photo_ids(blocks: list[dict]) -> list[int]:
    """Every photo the blocks show, in order of appearance, each once."""
    seen = {}
    for block in blocks or ():
        if block.get("type") == "photo":
            seen.setdefault(block["photo"], None)
        elif block.get("type") == "gallery":
            for item in block["photos"]:
                seen.setdefault(item["photo"], None)
    return list(seen)


def story_ids(blocks: list[dict]) -> list[int]:
    return [block["story"] for block in blocks or () if block.get("type") == "story"]


def _para(text: str) -> str:
    return f"<p>{html.escape(text)}</p>" if text else ""


def readable_html(blocks: list[dict]) -> str:
    """The words of the blocks as one HTML fragment: text, headings, quotes, fact boxes, table
    cells and captions, in order. Stored as the story's `body` on every save, which the search
    document (a column the database generates from it: migrations 0009/0011) and anything that
    wants the story's text as one piece read."""
    parts = []
    for block in blocks or ():
        kind, get = block.get("type"), block.get  # tolerant: also read before cleaning
        if kind == "text":
            parts.append(get("html", ""))
        elif kind == "heading":
            parts.append(f"<h2>{html.escape(get('text', ''))}</h2>")
        elif kind == "quote":
            parts.append(
                f"<blockquote>{_para(get('text', ''))}{_para(get('attribution', ''))}</blockquote>"
            )
        elif kind == "factbox":
            parts.append(f"<h3>{html.escape(get('title', ''))}</h3>{get('html', '')}")
        elif kind == "table":
            rows = get("rows") or []
            cells = [get("caption", ""), *(get("header") or []), *(c for row in rows for c in row)]
            parts.append("".join(_para(cell) for cell in cells))
        elif kind == "photo":
            parts.append(_para(get("caption", "")))
        elif kind == "gallery":
            items = get("photos") or []
            captions = [get("caption", ""), *(item.get("caption", "") for item in items)]
            parts.append("".join(_para(caption) for caption in captions))
    return sanitize_html("".join(parts))


def text_block(body: str) -> list[dict]:
    """A story from before blocks: its body as its one text block (none when it is empty)."""
    cleaned = sanitize_html(body)
    return [{"type": "text", "html": cleaned}] if plain_text(cleaned) else []


def _photo_needs(photo: Photo) -> list[str]:
    needs = []
    if not photo.alt_text.strip():
        needs.append(_("needs alt text before the story is published"))
    if not photo.credit:
        needs.append(_("needs a credit (photographer or agency) before the story is published"))
    if photo.rights_have_expired:
        needs.append(
            _(
                "has rights that expired on %(date)s: remove it, or "
                "renew the licence and update its date"
            )
            % {"date": dateformat.format(photo.rights_expire_on, "j F Y")}
        )
    return needs


def reference_errors(story, *, publishing=False) -> list[str]:
    """Photos and stories `story`'s blocks name that do not exist, or (when publishing) photos
    that may not be shown: no alt text, no credit, rights expired. One query for the photos and
    one for the stories, each only when the blocks name any."""
    problems = []
    wanted = photo_ids(story.blocks)
    photos = Photo.objects.in_bulk(wanted) if wanted else {}
    for pk in wanted:
        photo = photos.get(pk)
        if photo is None:
            problems.append(
                _("Photo %(pk)s is not in the library (it may have been deleted).") % {"pk": pk}
            )
        elif publishing:
            problems.extend(
                _("Photo %(pk)s (%(photo)s) %(need)s.") % {"pk": pk, "photo": photo, "need": need}
                for need in _photo_needs(photo)
            )
    linked = story_ids(story.blocks)
    if story.pk is not None and story.pk in linked:
        problems.append(_("A story card cannot link to the story itself."))
    if linked:
        stories = type(story)._default_manager.filter(pk__in=linked)
        found = set(stories.values_list("pk", flat=True))
        problems.extend(
            _("Story %(pk)s does not exist.") % {"pk": pk} for pk in linked if pk not in found
        )
    return problems
