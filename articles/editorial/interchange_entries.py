"""Loading a live story's entries from the interchange JSON (load_stories): the story's entries
become those of the file, in the story's own transaction (interchange_load.Loader.load)."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article, Author, LiveEntry

from .interchange_values import StoryError, read_text, read_time

ENTRY_FIELDS = {
    "external_id", "published_at", "headline", "blocks", "pinned", "key_event", "author", "status",
}  # fmt: skip


def load_entries(story: Article, entries: list, loader, may_publish: bool) -> None:
    """The story's entries become those of the file: matched by external id, created,
    changed, and those the file no longer has deleted. A reporter's are held."""
    existing = {entry.external_id: entry for entry in story.entries.exclude(external_id="")}
    own = {f"newsroom-entry-{e.pk}": e for e in story.entries.filter(external_id="")}
    kept, pinned, seen = [], 0, set()
    for n, data in enumerate(entries, 1):
        where = f"entries {n}"
        if not isinstance(data, dict):
            raise StoryError(where, "an entry is an object.")
        if unknown := sorted(set(data) - ENTRY_FIELDS):
            raise StoryError(f"{where} {unknown[0]}", "is not a field of an entry.")
        ref = data.get("external_id")
        if not isinstance(ref, str) or not ref.strip():
            raise StoryError(f"{where} external_id", "is required.")
        if ref in seen:
            raise StoryError(f"{where} external_id", f"{ref!r} is in the file twice.")
        seen.add(ref)
        entry = existing.get(ref) or own.get(ref)
        if entry is None:
            entry = LiveEntry(article=story, created_by=loader.user)
            entry.external_id = ref
        status = data.get("status") or LiveEntry.Status.PUBLISHED
        if status not in LiveEntry.Status.values:
            raise StoryError(f"{where} status", "must be published or held.")
        if status == LiveEntry.Status.PUBLISHED and not may_publish:
            raise StoryError(f"{where} status", f"{loader.user} may not publish entries.")
        author = data.get("author")
        entry.author = Author.objects.filter(slug=author).first() if author else None
        if author and entry.author is None:
            raise StoryError(f"{where} author", f"no author {author!r}.")
        entry.status = status
        entry.headline = read_text(data, "headline", 200)
        entry.published_at = read_time(data, "published_at", f"{where} published_at")
        entry.published_at = entry.published_at or timezone.now()
        entry.pinned, entry.key_event = bool(data.get("pinned")), bool(data.get("key_event"))
        pinned += entry.pinned
        if pinned > 1:
            raise StoryError(f"{where} pinned", "a story has one pinned entry at most.")
        blocks = data.get("blocks") or []
        try:
            entry.blocks = loader.blocks(blocks, story)
        except StoryError as error:
            raise StoryError(f"{where} {error.field}", error.message) from None
        try:
            entry.full_clean(exclude=["article", "created_by"])
        except ValidationError as error:
            name, messages = next(iter(error.message_dict.items()))
            raise StoryError(f"{where} {name}", messages[0]) from None
        kept.append(entry)
    story.entries.exclude(pk__in=[e.pk for e in kept if e.pk]).delete()
    for entry in kept:
        entry.save()
