"""Loading stories from the interchange JSON (`load_stories`): each story whole or not at all.

A story is matched by `external_id` (or, for one written as `newsroom-<id>` by dump_stories
without an external id, by that id) and created or updated with the rights of the user named:
a reporter creates and changes drafts and stories in review, and never publishes or changes a
published story. A bad story is rolled back and reported in one line naming it and the field;
the others still load.
"""

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import reversion
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import (
    PUBLISH_PERMISSION,
    Article,
    Author,
    Byline,
    Kind,
    Photo,
    Section,
)
from articles.photos import renditions
from articles.photos.images import reencode

from .interchange import FIELDS, NOT_YET, OWN_ID
from .interchange_entries import load_entries
from .interchange_values import StoryError, read_text, read_time

SHAPE = {name for name, _ in FIELDS} | set(NOT_YET)
PHOTO_FIELDS = {"file", "caption", "alt_text", "photographer", "agency", "rights_expire_on"}


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "story <id>: <field>: <message>"


class Loader:
    def __init__(self, *, user, base_dir: Path, label: str):
        self.user = user
        self.base_dir = base_dir.resolve()
        self.label = label
        self.photos_by_file: dict[Path, int] = {}  # one Photo per file, however often used
        # The files written for the story being loaded (originals, renditions): a story that
        # is refused takes its photos' rows with its transaction, and these with them.
        self.written: list[tuple[object, str]] = []

    def discard_written(self) -> None:
        """Delete the files written for a story whose transaction was rolled back: nothing in
        the database names them any more, and an upload must not stay in storage (its licence
        was never recorded)."""
        for storage, name in self.written:
            storage.delete(name)
        self.written = []

    # --- references ---------------------------------------------------------------------

    def story_by_ref(self, ref, field_name: str) -> Article | None:
        if isinstance(ref, int) and not isinstance(ref, bool):
            return Article.objects.filter(pk=ref).first()
        if not isinstance(ref, str) or not ref:
            raise StoryError(field_name, "name a story by its external_id or id.")
        found = Article.objects.filter(external_id=ref).first()
        if found is None and (own := OWN_ID.fullmatch(ref)):
            found = Article.objects.filter(pk=int(own.group(1)), external_id=None).first()
        return found

    def photo(self, value, field_name: str) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            if not Photo.objects.filter(pk=value).exists():
                raise StoryError(field_name, f"photo {value} is not in the library.")
            return value
        if not isinstance(value, dict) or not isinstance(value.get("file"), str):
            raise StoryError(field_name, "give a photo id, or an object with its file.")
        if unknown := sorted(set(value) - PHOTO_FIELDS):
            raise StoryError(field_name, f"photos have no field {', '.join(unknown)}.")
        path = (self.base_dir / value["file"]).resolve()
        if not path.is_relative_to(self.base_dir) or not path.is_file():
            raise StoryError(field_name, f"no file {value['file']} beside the JSON file.")
        if path in self.photos_by_file:
            return self.photos_by_file[path]
        if not self.user.has_perm("articles.add_photo"):
            raise StoryError(field_name, f"{self.user} may not add photos to the library.")
        expires = value.get("rights_expire_on")
        photo = Photo(
            caption=read_text(value, "caption", 300),
            alt_text=read_text(value, "alt_text", 250),
            photographer=read_text(value, "photographer", 120),
            agency=read_text(value, "agency", 120),
        )
        try:
            photo.rights_expire_on = date.fromisoformat(expires) if expires else None
            with open(path, "rb") as source:
                # Verified and re-encoded without its metadata, as an upload in the admin is.
                clean = reencode(File(source, name=path.name))
            photo.image.save(clean.name, clean, save=False)
            self.written.append((photo.image.storage, photo.image.name))
            photo.full_clean()
        except (ValueError, ValidationError) as error:
            message = getattr(error, "messages", [str(error)])[0]
            raise StoryError(field_name, f"{value['file']}: {message}") from None
        photo.save()  # makes its renditions (articles/photos/signal_handlers.py)
        self.written += [
            (default_storage, name) for name in renditions.file_names(photo.renditions)
        ]
        self.photos_by_file[path] = photo.pk
        return photo.pk

    def blocks(self, blocks, story: Article | None) -> list[dict]:
        if not isinstance(blocks, list):
            raise StoryError("blocks", "must be a list of blocks.")
        out = []
        for n, block in enumerate(blocks, 1):
            if not isinstance(block, dict):
                raise StoryError(f"blocks {n}", "a block is an object with a type.")
            block = dict(block)
            where = f"blocks {n} ({block.get('type')})"
            if block.get("type") == "photo" and "photo" in block:
                block["photo"] = self.photo(block["photo"], f"{where} photo")
            elif block.get("type") == "gallery" and isinstance(block.get("photos"), list):
                block["photos"] = [
                    {**item, "photo": self.photo(item.get("photo"), f"{where} photo {i}")}
                    if isinstance(item, dict)
                    else item
                    for i, item in enumerate(block["photos"], 1)
                ]
            elif block.get("type") == "story" and "story" in block:
                linked = self.story_by_ref(block["story"], f"{where} story")
                if linked is None:
                    raise StoryError(f"{where} story", f"no story {block['story']!r}.")
                block["story"] = linked.pk
            out.append(block)
        return out

    # --- one story ----------------------------------------------------------------------

    def load(self, data) -> tuple[Article, bool]:
        if not isinstance(data, dict):
            raise StoryError("story", "must be an object.")
        if unknown := sorted(set(data) - SHAPE):
            raise StoryError(unknown[0], "is not a field of a story.")
        for name, nothing in NOT_YET.items():
            if data.get(name, nothing) != nothing:
                raise StoryError(name, "is not supported yet by this newsroom.")
        ref = data.get("external_id")
        if not isinstance(ref, str) or not ref.strip():
            raise StoryError("external_id", "is required.")
        story = self.story_by_ref(ref, "external_id")
        created = story is None
        kind = data.get("kind") or Kind.NEWS
        if kind not in Kind.values:
            raise StoryError("kind", f"must be one of {', '.join(Kind.values)}.")
        entries = data.get("entries") or []
        if not isinstance(entries, list):
            raise StoryError("entries", "must be a list of entries.")
        if entries and kind != Kind.LIVE:
            raise StoryError("entries", "only live stories have entries.")
        may_publish = self.user.has_perm(PUBLISH_PERMISSION)
        if created:
            if not self.user.has_perm("articles.add_article"):
                raise StoryError("external_id", f"{self.user} may not add stories.")
            story = Article(external_id=ref, created_by=self.user)
        else:
            if not self.user.has_perm("articles.change_article"):
                raise StoryError("external_id", f"{self.user} may not change stories.")
            if story.is_saved_as_published and not may_publish:
                raise StoryError("status", f"{self.user} may not change a published story.")
        section = data.get("section")
        story.section = None
        if section is not None:
            story.section = Section.objects.filter(slug=section).first()
            if story.section is None:
                raise StoryError("section", f"no section {section!r}.")
        slugs = data.get("authors") or []
        authors = {author.slug: author for author in Author.objects.filter(slug__in=slugs)}
        if missing := [slug for slug in slugs if slug not in authors]:
            raise StoryError("authors", f"no author {missing[0]!r}.")
        tags = data.get("tags") or []
        if not all(isinstance(tag, str) and tag.strip() for tag in tags):
            raise StoryError("tags", "must be a list of names.")
        story.kind = kind
        story.kicker = read_text(data, "kicker", 80)
        story.headline = read_text(data, "headline", 200)
        story.subheadline = read_text(data, "subheadline", 300)
        story.contributor_note = read_text(data, "contributor_note", 200)
        story.slug = (
            read_text(data, "slug", 200) or slugify(story.headline, allow_unicode=True)[:200]
        )
        status = data.get("status") or Article.Status.DRAFT
        if status not in Article.Status.values:
            raise StoryError("status", f"must be one of {', '.join(Article.Status.values)}.")
        if status == Article.Status.PUBLISHED and not may_publish:
            raise StoryError("status", f"{self.user} may not publish; load it as review.")
        story.status = status
        story.published_at = read_time(data, "published_at")
        self.embargo(story, read_time(data, "embargo_until"), may_publish)
        story.coverage_ended_at = read_time(data, "coverage_ended_at")
        lead = data.get("lead_photo")
        story.lead_photo_id = self.photo(lead, "lead_photo") if lead is not None else None
        story.blocks = self.blocks(data.get("blocks") or [], story)
        try:
            # The constraints last: the publication rules below say first, by field, why.
            story.full_clean(exclude=["created_by"], validate_constraints=False)
        except ValidationError as error:
            name, messages = next(iter(error.message_dict.items()))
            raise StoryError(name, messages[0]) from None
        if status == Article.Status.PUBLISHED:
            if errors := story.publication_errors(has_byline=bool(slugs)):
                name, messages = next(iter(errors.items()))
                raise StoryError(name, messages[0])
            if story.published_at is None:
                story.published_at = timezone.now()
        try:
            story.validate_constraints()
        except ValidationError as error:
            raise StoryError("story", error.messages[0]) from None
        with reversion.create_revision():
            reversion.set_user(self.user)
            reversion.set_comment(f"Loaded from {self.label}.")
            story.save()
            story.bylines.all().delete()
            Byline.objects.bulk_create(
                Byline(article=story, author=authors[slug], position=n)
                for n, slug in enumerate(slugs)
            )
            story.tags.set(tags, clear=True)
            load_entries(story, entries, self, may_publish)
            story.remember_block_photos()  # with its entries' photos, now that they are in
            reversion.add_to_revision(story)
        return story, created

    def embargo(self, story: Article, until, may_publish: bool) -> None:
        """As in the story's form: anyone records an embargo; only editors lift one or bring it
        forward. Publishing before it is refused with the publication rules, below."""
        standing = story.embargo_until if story.pk else None
        if (
            not may_publish
            and standing is not None
            and standing > timezone.now()
            and (until is None or until < standing)
        ):
            raise StoryError("embargo_until", f"{self.user} may not lift or shorten an embargo.")
        story.embargo_until = until


def _linked_first(stories: list) -> list[tuple[int, object]]:
    """The stories (numbered as in the file) in file order, except that a story a story card
    names is loaded before the card's story, so cards may name stories later in the file."""
    by_ref = {
        item["external_id"]: n
        for n, item in enumerate(stories, 1)
        if isinstance(item, dict) and isinstance(item.get("external_id"), str)
    }
    order, seen = [], set()

    def visit(n: int, item, depth=0) -> None:
        if n in seen or depth > len(stories):
            return
        seen.add(n)
        blocks = item.get("blocks") if isinstance(item, dict) else None
        for block in blocks if isinstance(blocks, list) else ():
            if not isinstance(block, dict) or block.get("type") != "story":
                continue
            ref = block.get("story")
            if isinstance(ref, str) and ref in by_ref:
                visit(by_ref[ref], stories[by_ref[ref] - 1], depth + 1)
        order.append((n, item))

    for n, item in enumerate(stories, 1):
        visit(n, item)
    return order


def load_stories(path: Path, *, user) -> LoadResult:
    """Load every story of the JSON file at `path`, each in its own transaction."""
    result = LoadResult()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        result.errors.append(f"{path}: not a readable JSON file ({error}).")
        return result
    if (
        not isinstance(data, dict)
        or set(data) != {"stories"}
        or not isinstance(data["stories"], list)
    ):
        result.errors.append(f'{path}: the file must be {{"stories": [...]}} and nothing else.')
        return result
    loader = Loader(user=user, base_dir=Path(path).parent, label=Path(path).name)
    for n, item in _linked_first(data["stories"]):
        name = item.get("external_id") if isinstance(item, dict) else None
        label = f"story {name}" if isinstance(name, str) and name else f"story {n}"
        loader.written = []
        try:
            with transaction.atomic():
                _, created = loader.load(item)
        except BaseException as error:
            # The story's photos were made inside its transaction, and are gone with it: so
            # must their files be, whatever stopped the story.
            loader.discard_written()
            if not isinstance(error, StoryError):
                raise
            loader.photos_by_file = {
                p: pk
                for p, pk in loader.photos_by_file.items()
                if Photo.objects.filter(pk=pk).exists()
            }
            result.errors.append(f"{label}: {error}")
            continue
        (result.created if created else result.updated).append(label)
    return result
