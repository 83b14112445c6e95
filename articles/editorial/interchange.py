"""Stories in and out as JSON: the interchange shape of ../shared/CONTRACT.md.

One table, FIELDS, says for each field of the shape how a story writes it (`dump_stories`) and
reads it (`load_stories`, articles/editorial/interchange_load.py); a field another branch adds to
the story is one line here. Fields of the shape the story does not have yet are in NOT_YET:
loading accepts them only at their "nothing" value and says so otherwise.

A live story's entries are written oldest first, each named by its external id (or
`newsroom-entry-<id>` when it has none, read back as the same entry), with its author's slug and
its status (`published`, or `held` for a reporter's entry no editor has approved yet).
"""

import json
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.db.models import Prefetch, Q

from articles.models import Article, LiveEntry, Photo, bylines_prefetch
from articles.models.blocks import photo_ids

# Shape fields this version does not carry yet, with the value that means "nothing".
NOT_YET: dict = {}

# A story without an external id is written as this, and read back as the same story (an entry
# without one as `newsroom-entry-<id>`).
OWN_ID = re.compile(r"newsroom-(\d+)")


def external_id(story: Article) -> str:
    return story.external_id or f"newsroom-{story.pk}"


def entry_external_id(entry: LiveEntry) -> str:
    return entry.external_id or f"newsroom-entry-{entry.pk}"


def w3c(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


@dataclass
class Dump:
    """Writing stories out. With `media_dir` (beside the JSON file), photos are written as files
    with their credit fields and story cards name stories by external id, so the JSON moves to
    another database; without, both are ids in this database."""

    media_dir: Path | None = None
    relative_to: Path | None = None
    photo_files: dict[int, str] = field(default_factory=dict)
    photos: dict[int, Photo] = field(default_factory=dict)
    stories: dict[int, Article] = field(default_factory=dict)

    def photo(self, pk: int | None):
        if pk is None:
            return None
        photo = self.photos.get(pk)
        if photo is None or self.media_dir is None:
            return pk
        if pk not in self.photo_files:
            # Numbered in order of first appearance: the same dump gives the same names.
            suffix = Path(photo.image.name).suffix.lower() or ".jpg"
            target = self.media_dir / f"{len(self.photo_files) + 1:04d}{suffix}"
            target.parent.mkdir(parents=True, exist_ok=True)
            with photo.image.open("rb") as source, open(target, "wb") as out:
                shutil.copyfileobj(source, out)
            self.photo_files[pk] = str(target.relative_to(self.relative_to))
        return {
            "file": self.photo_files[pk],
            "caption": photo.caption,
            "alt_text": photo.alt_text,
            "photographer": photo.photographer,
            "agency": photo.agency,
            "rights_expire_on": photo.rights_expire_on.isoformat()
            if photo.rights_expire_on
            else None,
        }

    def story_ref(self, pk: int):
        # Portable (with a media folder): by external id. Otherwise by id, as photos are: the
        # shape the content API serves for the same database.
        linked = self.stories.get(pk)
        return external_id(linked) if linked is not None and self.media_dir else pk

    def entries(self, story: Article) -> list[dict]:
        return [
            {
                "external_id": entry_external_id(entry),
                "published_at": w3c(entry.published_at),
                "headline": entry.headline,
                "blocks": self.blocks(entry),
                "pinned": entry.pinned,
                "key_event": entry.key_event,
                "author": entry.author.slug if entry.author else None,
                "status": entry.status,
            }
            for entry in story.entries.all()  # prefetched, oldest first
        ]

    def blocks(self, story: Article | LiveEntry) -> list[dict]:
        out = []
        for block in story.blocks:
            block = dict(block)
            if block["type"] == "photo":
                block["photo"] = self.photo(block["photo"])
            elif block["type"] == "gallery":
                block["photos"] = [
                    {**item, "photo": self.photo(item["photo"])} for item in block["photos"]
                ]
            elif block["type"] == "story":
                block["story"] = self.story_ref(block["story"])
            out.append(block)
        return out


# The shape's fields in its order: (name, how a story writes it). Loading: interchange_load.
FIELDS = [
    ("external_id", lambda story, dump: external_id(story)),
    ("kind", lambda story, dump: story.kind),
    ("section", lambda story, dump: story.section.slug if story.section else None),
    ("authors", lambda story, dump: [author.slug for author in story.byline_authors]),
    ("tags", lambda story, dump: sorted(tag.name for tag in story.tags.all())),
    ("kicker", lambda story, dump: story.kicker),
    ("headline", lambda story, dump: story.headline),
    ("subheadline", lambda story, dump: story.subheadline),
    ("slug", lambda story, dump: story.slug),
    ("status", lambda story, dump: story.status),
    ("published_at", lambda story, dump: w3c(story.published_at)),
    ("embargo_until", lambda story, dump: w3c(story.embargo_until)),
    ("contributor_note", lambda story, dump: story.contributor_note),
    ("lead_photo", lambda story, dump: dump.photo(story.lead_photo_id)),
    ("blocks", lambda story, dump: dump.blocks(story)),
    ("coverage_ended_at", lambda story, dump: w3c(story.coverage_ended_at)),
    ("entries", lambda story, dump: dump.entries(story)),
]


def dump_stories(*, since: datetime | None = None, output: Path | None = None) -> str:
    """The stories (changed since `since`) as the interchange JSON, ordered by external id so
    that a dump, loaded into another database and dumped again, reads the same. With `output`,
    photos are copied into a folder beside it ("<name>-photos/") and named from the JSON."""
    entries = LiveEntry.objects.select_related("author").order_by("published_at", "pk")
    stories = Article.objects.select_related("section").prefetch_related(
        bylines_prefetch(), "tags", Prefetch("entries", queryset=entries)
    )
    if since is not None:
        # A live story's entries change without its row: it is written when they do.
        changed = Q(updated_at__gte=since) | Q(entries__updated_at__gte=since)
        stories = stories.filter(changed).distinct()
    stories = sorted(stories, key=external_id)
    dump = Dump()
    if output is not None:
        dump.relative_to = output.parent
        dump.media_dir = output.parent / f"{output.stem}-photos"
    wanted_photos, wanted_stories = set(), set()
    for story in stories:
        if story.lead_photo_id:
            wanted_photos.add(story.lead_photo_id)
        for holder in [story, *story.entries.all()]:
            wanted_photos.update(photo_ids(holder.blocks))
            wanted_stories.update(b["story"] for b in holder.blocks if b["type"] == "story")
    dump.photos = Photo.objects.in_bulk(wanted_photos)
    dump.stories = Article.objects.in_bulk(wanted_stories)
    data = {"stories": [{name: write(story, dump) for name, write in FIELDS} for story in stories]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
