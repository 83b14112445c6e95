"""Versions of stories: who changed what and when, compared as word diffs, restorable.

django-reversion rather than django-simple-history: a story is more than its row (ordered
bylines, tag links, contributor credits), and reversion stores the story with those related
rows as one revision and restores them together, which simple-history's per-table history does
not; its VersionAdmin also restores through the normal change form, so a restore is checked by
the same rules (publish rights, what a published story needs) and recorded as a new version.
"""

import difflib

import reversion
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timezone import localtime
from reversion.models import Version
from taggit.models import Tag

from articles.models import (
    Article,
    Author,
    Byline,
    Contributor,
    LiveEntry,
    Photo,
    Section,
    TaggedArticle,
)
from articles.models.richtext import plain_text

# Reader-visible fields, in the order a comparison lists them.
COMPARED = [
    ("kicker", "Kicker"),
    ("headline", "Headline"),
    ("subheadline", "Subheadline"),
    ("body", "Body"),
    ("blocks", "Blocks"),
    ("bylines", "Bylines"),
    ("contributor_note", "Contributor note"),
    ("contributors", "Contributors"),
    ("section", "Section"),
    ("lead_photo", "Lead photo"),
    ("tags", "Tags"),
    ("status", "Status"),
    ("published_at", "Publication time"),
    ("slug", "Address (slug)"),
]


def register() -> None:
    """Called once from AppConfig.ready: a story's version holds its bylines, tags and credits.
    Live entries are versioned on their own (a live story's version does not carry its hundreds
    of entries): each change of one is a revision holding the entry and its story, whose history
    lists it by its comment (models/live.py)."""
    for model in (Byline, TaggedArticle, Contributor, LiveEntry):
        if not reversion.is_registered(model):
            reversion.register(model)
    if not reversion.is_registered(Article):
        reversion.register(Article, follow=["bylines", "taggedarticle_set", "contributors"])


def versions_of(article_id) -> list[Version]:
    return list(
        Version.objects.get_for_object_reference(Article, article_id)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def _names(model, ids, attr="name") -> dict:
    return {pk: str(getattr(obj, attr)) for pk, obj in model.objects.in_bulk(ids).items()}


def _display_time(value) -> str:
    if value is None:
        return ""
    return localize(localtime(value))


def snapshot_of_version(version: Version) -> dict[str, str]:
    """What readers would see in a stored version, as text per compared field."""
    data = version.field_dict
    related = version.revision.version_set.select_related("content_type")
    article_id = int(version.object_id)

    def rows(model, key: str) -> list[dict]:
        return [
            v.field_dict
            for v in related
            if v.content_type.model_class() is model and v.field_dict.get(key) == article_id
        ]

    bylines = sorted(rows(Byline, "article_id"), key=lambda row: (row["position"], row["id"]))
    authors = _names(Author, [row["author_id"] for row in bylines])
    tag_ids = [row["tag_id"] for row in rows(TaggedArticle, "content_object_id")]
    contributors = sorted(
        rows(Contributor, "article_id"), key=lambda row: (row["position"], row["id"])
    )
    return _snapshot(
        data,
        bylines=[authors.get(row["author_id"], "(deleted author)") for row in bylines],
        tags=sorted(_names(Tag, tag_ids).values()),
        contributors=[
            f"{row['name']} ({Contributor.Role(row['role']).label})" for row in contributors
        ],
    )


def snapshot_of_article(article: Article) -> dict[str, str]:
    """The same, for the story as it is stored now."""
    data = {
        field.attname: getattr(article, field.attname) for field in Article._meta.concrete_fields
    }
    return _snapshot(
        data,
        bylines=[b.author.name for b in article.bylines.select_related("author")],
        tags=sorted(tag.name for tag in article.tags.all()),
        contributors=[f"{c.name} ({c.get_role_display()})" for c in article.contributors.all()],
    )


def _snapshot(data: dict, *, bylines, tags, contributors) -> dict[str, str]:
    section = data.get("section_id")
    photo = data.get("lead_photo_id")
    status = data.get("status") or ""
    return {
        "kicker": data.get("kicker") or "",
        "headline": data.get("headline") or "",
        "subheadline": data.get("subheadline") or "",
        "body": plain_text(data.get("body") or ""),
        "blocks": outline(data.get("blocks") or []),
        "bylines": ", ".join(bylines),
        "contributor_note": data.get("contributor_note") or "",
        "contributors": "; ".join(contributors),
        "section": _names(Section, [section]).get(section, "") if section else "",
        "lead_photo": str(Photo.objects.filter(pk=photo).first() or "") if photo else "",
        "tags": ", ".join(tags),
        "status": Article.Status(status).label if status in Article.Status.values else status,
        "published_at": _display_time(data.get("published_at")),
        "slug": data.get("slug") or "",
    }


def outline(blocks: list[dict]) -> str:
    """The blocks as a numbered list of what each one is and shows (words are in "body"), so a
    comparison shows blocks added, removed, moved or changed: "3. photo 12 (wide): caption"."""
    lines = []
    for n, block in enumerate(blocks, 1):
        kind = block.get("type", "")
        if kind == "photo":
            what = f"photo {block.get('photo')} ({block.get('size')}) {block.get('caption', '')}"
        elif kind == "gallery":
            ids = ", ".join(str(item.get("photo")) for item in block.get("photos", []))
            what = f"gallery of photos {ids}: {block.get('caption', '')}"
        elif kind == "embed":
            what = f"embed {block.get('url')}"
        elif kind == "story":
            what = f"story card → story {block.get('story')}"
        elif kind in ("heading", "quote"):
            what = f"{kind}: {Truncator(block.get('text', '')).words(8)}"
        elif kind == "factbox":
            what = f"fact box: {block.get('title', '')}"
        elif kind == "table":
            what = f"table: {block.get('caption', '')} ({len(block.get('rows', []))} rows)"
        else:
            what = f"{kind}: {Truncator(plain_text(block.get('html', ''))).words(8)}"
        lines.append(f"{n}. {what.strip()}")
    return " ".join(lines)


def word_diff(before: str, after: str) -> SafeString:
    """`after` with removed words in <del> and added ones in <ins>; everything escaped."""
    old, new = before.split(), after.split()
    out = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(old[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(' '.join(old[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(' '.join(new[j1:j2]))}</ins>")
    return mark_safe(" ".join(out))  # every piece of text above is escaped


def compare(before: dict[str, str], after: dict[str, str]) -> list[tuple[str, SafeString]]:
    """The fields that differ, each as a word diff: [(label, diff html)]."""
    return [
        (label, word_diff(before[name], after[name]))
        for name, label in COMPARED
        if before[name] != after[name]
    ]


def ensure_baseline(article: Article) -> None:
    """A story saved only outside the admin so far (seeded, imported) gets a first version of
    its current state when it is opened, so the first recorded change can be compared."""
    if not Version.objects.get_for_object(article).exists():
        with reversion.create_revision():
            reversion.set_comment("The story as it was before its first recorded change.")
            reversion.add_to_revision(article)


def version_saved_as(versions: list[Version], updated_at) -> Version | None:
    """Of a story's `versions` (versions_of), the one recorded by the save that left the story
    at `updated_at`, if any.

    Versions store times to the millisecond (Django's JSON serializer), so compare at that.
    """
    wanted = updated_at.replace(microsecond=updated_at.microsecond // 1000 * 1000)
    for version in versions:
        stored = version.field_dict.get("updated_at")
        if (
            stored is not None
            and stored.replace(microsecond=stored.microsecond // 1000 * 1000) == wanted
        ):
            return version
    return None
