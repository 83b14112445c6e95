"""Live coverage: a story of kind `live` is a page the desk keeps adding to. Each entry has a
time, an optional headline, a body of the same blocks as a story (models/blocks.py), its author
and two flags: pinned (shown first; one per story) and key event (listed in "Key events").

Who may do what (the same rule as a reporter's story, and for the same reason: what readers see
is decided by someone with the publish right):
- an editor's entry is public at once; an editor edits, deletes and approves any entry, and opens
  and closes the coverage;
- a reporter's entry is held ("awaiting an editor") and no reader sees it until an editor
  approves it, when it takes the time of its approval; a reporter edits or deletes held entries
  only, never one readers have seen.

A public entry's change is a change of its story: the story's `revised_at` (its "Updated" time,
dateModified and the sitemap's lastmod) moves to it, saved through the model so that its pages are
purged (public/invalidation.py), without moving `updated_at`, so an editor with the story's form
open is not told that someone else changed the story.
"""

import reversion
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import blocks as story_blocks
from .authors import Author
from .json_columns import JSONField
from .kinds import Kind
from .publishing import PUBLISH_PERMISSION
from .richtext import plain_text
from .stories import Article

# Entries a reader page shows at a time; older ones are on the next page (?page=2).
ENTRIES_PER_PAGE = 50
# Entries the poll address (live.json) carries: more than can arrive between two polls.
POLLED_ENTRIES = 20


class LiveEntryQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status=LiveEntry.Status.PUBLISHED)

    def newest_first(self):
        return self.order_by("-published_at", "-pk")


class LiveEntry(models.Model):
    class Status(models.TextChoices):
        HELD = "held", gettext_lazy("Awaiting an editor")
        PUBLISHED = "published", gettext_lazy("Published")

    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=gettext_lazy("article"),
    )
    published_at = models.DateTimeField(
        gettext_lazy("published at"),
        default=timezone.now,
        help_text=gettext_lazy("The entry's time."),
    )
    headline = models.CharField(gettext_lazy("headline"), max_length=200, blank=True)
    blocks = JSONField(
        gettext_lazy("blocks"),
        default=list,
        blank=True,
        validators=[story_blocks.clean_blocks],
        help_text=gettext_lazy("The entry."),
    )
    # Derived from the blocks on every save: the entry's words in one piece (feeds, JSON-LD).
    body = models.TextField(gettext_lazy("body"), blank=True, editable=False)
    author = models.ForeignKey(
        Author,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_entries",
        verbose_name=gettext_lazy("author"),
    )
    pinned = models.BooleanField(
        gettext_lazy("pinned"), default=False, help_text=gettext_lazy("Shown first; one per story.")
    )
    key_event = models.BooleanField(
        gettext_lazy("key event"),
        default=False,
        help_text=gettext_lazy("Listed under “Key events”."),
    )
    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    external_id = models.CharField(gettext_lazy("external id"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=gettext_lazy("created by"),
    )
    created_at = models.DateTimeField(gettext_lazy("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(gettext_lazy("updated at"), auto_now=True)

    objects = LiveEntryQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("live entry")
        verbose_name_plural = gettext_lazy("live entries")
        ordering = ["-published_at", "-pk"]
        # Who may do what is the story's permissions (module docstring), not entry permissions.
        default_permissions = ()
        indexes = [
            # A story's entries newest first, a page at a time.
            models.Index(
                fields=["article", "status", "-published_at", "-id"], name="liveentry_page_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["article"], condition=Q(pinned=True), name="liveentry_one_pinned"
            ),
            models.UniqueConstraint(
                fields=["article", "external_id"],
                condition=~Q(external_id=""),
                name="liveentry_unique_external_id",
            ),
        ]

    def __str__(self):
        return (
            self.headline
            or plain_text(self.body)[:60]
            or _("Entry %(number)s") % {"number": self.pk}
        )

    def save(self, *args, **kwargs):
        self.blocks = story_blocks.clean_blocks(self.blocks)
        self.body = story_blocks.readable_html(self.blocks)
        with transaction.atomic():
            if self.pinned:
                # One pinned entry per story: pinning this one unpins the one before, through
                # its own save (a change readers see, recorded and purged like any other).
                for other in self.article.entries.filter(pinned=True).exclude(pk=self.pk):
                    other.pinned = False
                    other.save(update_fields=["pinned", "updated_at"])
            super().save(*args, **kwargs)

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def plain_text(self) -> str:
        return plain_text(self.body)

    @property
    def anchor(self) -> str:
        return f"entry-{self.pk}"

    def clean(self):
        super().clean()
        try:
            self.blocks = story_blocks.clean_blocks(self.blocks)
        except ValidationError as error:
            raise ValidationError({"blocks": error.messages}) from None
        if not self.blocks:
            raise ValidationError({"blocks": [_("An entry needs some text, a photo or an embed.")]})
        # An entry readers see follows a published story's rules for its photos (alt text,
        # credit, rights); a held one only has to name photos that exist.
        problems = story_blocks.reference_errors(self.as_story(), publishing=self.is_public)
        if problems:
            raise ValidationError({"blocks": problems})

    def validate_constraints(self, exclude=None):
        # Pinning an entry unpins the story's pinned one (save): not an error to report.
        super().validate_constraints(exclude={*(exclude or ()), "pinned"})

    def as_story(self) -> Article:
        """An unsaved story holding this entry's blocks: what the blocks' checks read."""
        return Article(pk=None, blocks=self.blocks)

    # --- the desk's moves: each recorded as a version of the entry and of its story ------------

    def _save_as_version(self, by, comment: str) -> None:
        """Save, recorded with who and why in a revision holding the entry and its story (whose
        history then lists it); an entry readers see changes its story (touch_story)."""
        with transaction.atomic(), reversion.create_revision():
            reversion.set_user(by)
            reversion.set_comment(comment)
            self.save()
            if self.is_public:
                touch_story(self.article)
            reversion.add_to_revision(self.article)

    @classmethod
    def post(cls, article: Article, *, by, **fields) -> "LiveEntry":
        """A new entry from `by`: public at once from an editor, held from a reporter."""
        if not by.has_perm("articles.change_article"):
            raise PermissionDenied("You cannot add entries to stories.")
        if article.kind != Kind.LIVE:
            raise ValidationError(_("Only live stories have entries."))
        if article.coverage_ended_at is not None:
            raise ValidationError(_("The coverage is closed: reopen it to add entries."))
        may_publish = by.has_perm(PUBLISH_PERMISSION)
        entry = cls(article=article, created_by=by, **fields)
        entry.status = cls.Status.PUBLISHED if may_publish else cls.Status.HELD
        entry.full_clean(exclude=["article", "created_by"])
        what = "published" if entry.is_public else "held for an editor"
        entry._save_as_version(by, f"Live entry added ({what}): {entry}")
        return entry

    def may_change(self, user) -> bool:
        """Editors change any entry; reporters only one no reader has seen."""
        if user.has_perm(PUBLISH_PERMISSION):
            return True
        return user.has_perm("articles.change_article") and not self.is_public

    def change(self, *, by, **fields) -> None:
        if not self.may_change(by):
            raise PermissionDenied("Only editors change an entry readers have seen.")
        for name, value in fields.items():
            setattr(self, name, value)
        self.full_clean(exclude=["article", "created_by"])
        self._save_as_version(by, f"Live entry changed: {self}")

    def approve(self, *, by) -> None:
        """An editor lets a held entry out: it takes the time of its approval."""
        if not by.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied("Only editors approve entries.")
        if self.is_public:
            return
        self.status = self.Status.PUBLISHED
        self.published_at = timezone.now()
        try:
            self.full_clean(exclude=["article", "created_by"])  # now as an entry readers see
        except ValidationError:
            self.status = self.Status.HELD
            raise
        self._save_as_version(by, f"Live entry approved: {self}")

    def remove(self, *, by) -> None:
        if not self.may_change(by):
            raise PermissionDenied("Only editors delete an entry readers have seen.")
        with transaction.atomic():
            # Its last state is recorded before it goes (django-reversion keeps versions of rows
            # that exist when the revision is saved): the deletion shows in the story's history
            # and the entry can be recovered from it.
            with reversion.create_revision():
                reversion.set_user(by)
                reversion.set_comment(f"Live entry deleted: {self}")
                reversion.add_to_revision(self)
                reversion.add_to_revision(self.article)
            was_public = self.is_public
            self.delete()
            if was_public:
                touch_story(self.article)


def touch_story(article: Article) -> None:
    """Readers' view of the story changed now: its Updated time moves, and its pages are purged
    by its own save (public/invalidation.py), which is why this is a save and not an update()."""
    article.revised_at = timezone.now()
    article.save(update_fields=["revised_at"])


def set_coverage(article: Article, *, open: bool, by) -> None:
    """Close the coverage (readers' pages stop asking for updates and freeze) or reopen it."""
    if not by.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied("Only editors open and close live coverage.")
    if article.kind != Kind.LIVE:
        raise ValidationError(_("Only live stories have coverage to close."))
    now = timezone.now()
    article.coverage_ended_at = None if open else now
    article.revised_at = now
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(by)
        reversion.set_comment("Live coverage reopened." if open else "Live coverage closed.")
        article.save(update_fields=["coverage_ended_at", "revised_at"])
        reversion.add_to_revision(article)
