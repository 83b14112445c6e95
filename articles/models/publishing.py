"""A story's publication rules: what stops it from going public, and the desk's moves (publish,
schedule, unpublish, send to review), each recorded as a version. Mixed into Article."""

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from .kinds import Kind

PUBLISH_PERMISSION = "articles.publish_article"


class Publishing:
    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.PUBLISHED and not self.is_published

    def publication_errors(
        self, *, has_byline: bool | None = None, at=None
    ) -> dict[str, list[str]]:
        """What stops this story from being published (at `at`, by default its publication
        time or now), by field."""
        errors: dict[str, list[str]] = {}
        at = at or self.published_at or timezone.now()
        if self.is_under_embargo_at(at):
            when = timezone.localtime(self.embargo_until)
            errors["published_at"] = [
                _(
                    "Under embargo until %(when)s (%(zone)s): it cannot be published before "
                    "then. Schedule it for that time or later."
                )
                % {"when": dateformat.format(when, "j F Y, H:i"), "zone": when.tzname()}
            ]
        if self.kind == Kind.SPONSORED and not self.sponsor.strip():
            errors["sponsor"] = [_("A sponsored story names its sponsor.")]
        if not self.headline.strip():
            errors["headline"] = [_("A published story needs a headline.")]
        if not self.slug:
            errors["slug"] = [_("A published story needs a slug.")]
        if self.section_id is None:
            errors["section"] = [_("A published story needs a section.")]
        if has_byline is None:
            has_byline = self.pk is not None and self.bylines.exists()
        if not has_byline:
            errors["authors"] = [_("A published story needs at least one byline.")]
        errors.update(self.block_errors(publishing=True))
        photo = self.lead_photo
        if photo is not None:
            if not photo.alt_text.strip():
                errors.setdefault("lead_photo", []).append(
                    _("The lead photo needs alt text before the story is published.")
                )
            if not photo.credit:
                errors.setdefault("lead_photo", []).append(
                    _(
                        "The lead photo needs a credit (photographer or agency) "
                        "before the story is published."
                    )
                )
            if photo.rights_have_expired:
                errors.setdefault("lead_photo", []).append(
                    _(
                        "The lead photo's rights expired on %(date)s: "
                        "choose another photo, or renew the licence and update its date."
                    )
                    % {"date": dateformat.format(photo.rights_expire_on, "j F Y")}
                )
        return errors

    def _save_as_version(self, by, comment: str) -> None:
        """Save, recording a version (articles/revisions.py) of who did what."""
        with reversion.create_revision():
            if by is not None:
                reversion.set_user(by)
            reversion.set_comment(comment)
            self.save()

    def publish(self, *, by, at=None):
        """Publish now, or at `at` (a future time schedules the story)."""
        if not by.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied(_("You do not have permission to publish stories."))
        at = at or self.published_at or timezone.now()
        if errors := self.publication_errors(at=at):
            raise ValidationError(errors)
        self.status = self.Status.PUBLISHED
        self.published_at = at
        self._save_as_version(by, "Scheduled." if self.is_scheduled else "Published.")

    def schedule(self, *, by, at):
        """Publish at a future time `at` (a story already public is not taken down for it)."""
        if self.is_published:
            raise ValidationError(_("It is already published: unpublish it first to schedule it."))
        if at is None or at <= timezone.now():
            raise ValidationError(
                {
                    "published_at": [
                        _("Choose a time in the future; to publish at once, publish now.")
                    ]
                }
            )
        self.publish(by=by, at=at)

    def publish_now(self, *, by):
        """Publish at once: a scheduled story is brought forward; a story that was public before
        (unpublished since) keeps its first publication time, which readers and search engines
        already know it by."""
        now = timezone.now()
        first = self.published_at if self.published_at and self.published_at <= now else now
        self.publish(by=by, at=first)

    def unpublish(self, *, by):
        if not by.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied(_("You do not have permission to unpublish stories."))
        self.status = self.Status.DRAFT
        self._save_as_version(by, "Unpublished (back to draft).")

    def send_back(self, *, by, note: str):
        """Back from review to its writer's desk, with the editor's reason (models/handoffs.py),
        recorded in the story's history too. Saves whatever else was changed on the story."""
        if not by.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied("Only editors send stories back.")
        note = note.strip()
        if not note:
            raise ValidationError({"send_back_note": [_("Say why the story goes back.")]})
        if getattr(self, "_saved_status", self.status) != self.Status.REVIEW:
            raise ValidationError(_("Only a story in review can be sent back."))
        self.status = self.Status.DRAFT
        with transaction.atomic():
            self._save_as_version(by, f"Sent back: {note}")
            self.send_backs.create(note=note, by=by)

    def send_to_review(self, *, by=None):
        if self.status == self.Status.DRAFT:
            self.status = self.Status.REVIEW
            self._save_as_version(by, "Sent to review.")
