"""The story change form: its fields, inlines and the rules a save must pass."""

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AdminSplitDateTime, AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.editorial import revisions
from articles.models import (
    PUBLISH_PERMISSION,
    Article,
    Byline,
    Contributor,
    Correction,
    bylines_prefetch,
)

from .block_editor import BlocksField
from .character_counts import counted_widgets
from .desk import site_time
from .tags import TagAutocompleteField


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date and time inputs, each with a name of its own (the field's legend names
    the pair), as screen readers need."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[0].attrs["aria-label"] = "Date"
        self.widgets[1].attrs["aria-label"] = "Time"


class NamedEmptyAutocomplete(AutocompleteSelect):
    """The admin's autocomplete select with a name on its empty choice: HTML forbids an empty
    <option> without a label (the Nu HTML Checker), and Django leaves it blank. Select2 shows
    its placeholder in its place, so nothing changes on screen."""

    def create_option(self, name, value, label, *args, **kwargs):
        return super().create_option(
            name, value, label if value != "" else gettext_lazy("None"), *args, **kwargs
        )


class BylineInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        article = self.instance
        kept = [
            form
            for form in self.forms
            if form.cleaned_data.get("author") and not form.cleaned_data.get("DELETE")
        ]
        if article.status == Article.Status.PUBLISHED and not kept:
            raise ValidationError(_("A published story needs at least one byline."))
        if article.pk:
            # Bylines saved since this page was opened are not in the form: say so, don't crash.
            in_form = [form.instance.pk for form in self.forms if form.instance.pk]
            clash = (
                Byline.objects.filter(
                    article=article, author__in=[f.cleaned_data["author"] for f in kept]
                )
                .exclude(pk__in=in_form)
                .select_related("author")
                .first()
            )
            if clash:
                raise ValidationError(
                    _(
                        "%(author)s already has a byline on this story (someone may have just "
                        "added it). Reload the page to see the current bylines."
                    ),
                    params={"author": clash.author},
                )


class BylineInline(admin.TabularInline):
    model = Byline
    formset = BylineInlineFormSet
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    extra = 1
    verbose_name = gettext_lazy("byline")
    verbose_name_plural = gettext_lazy("Bylines (in order)")


class ContributorInline(admin.TabularInline):
    model = Contributor
    fields = ["name", "kind", "role", "position"]
    extra = 1
    verbose_name_plural = gettext_lazy("Contributors (credited under the story, by role)")


class CorrectionInline(admin.StackedInline):
    model = Correction
    fields = ["text", "published_at"]
    # The story form's own override does not reach its inlines.
    formfield_overrides = {models.DateTimeField: {"widget": LabelledSplitDateTime}}
    extra = 0
    verbose_name_plural = gettext_lazy(
        "Corrections (shown to readers under the story and at /corrections/)"
    )


class ArticleForm(forms.ModelForm):
    """Enforces who may publish and what a published story needs; `user` is set by the admin.

    `opened_version` carries the story's updated_at from when the form was opened: a save of a
    form opened before someone else's save is refused (no lost edits), see `refuse_stale_save`.
    """

    class Meta:
        widgets = counted_widgets()
        field_classes = {"blocks": BlocksField}

    send_back_note = forms.CharField(
        label=gettext_lazy("Why it goes back"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy(
            "Sending the story back to draft: tell the writer why. They see it on their desk "
            "and here until they send it to review again; it stays in the story's history."
        ),
    )
    user = None
    restoring = False
    standing_embargo = None  # a restore keeps the embargo the story is under now
    opened_version = forms.CharField(widget=forms.HiddenInput, required=False)
    stale = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.updated_at:
            self.initial["opened_version"] = self.instance.updated_at.isoformat()
        if "comments_open" in self.fields:
            # The form remembers the setting it showed, so keep_comments_setting can tell an
            # editor's change from one made in the moderation queue since the form was opened.
            self.fields["comments_open"].show_hidden_initial = True
        if "tags" in self.fields:
            self.fields["tags"] = TagAutocompleteField(
                Article._meta.get_field("tags"),
                help_text=_("Type to find a tag; Enter adds a new one."),
            )

    def keep_comments_setting(self):
        """Moderators open and close a story's comments from their queue without bumping
        updated_at (so this form does not go stale for it): unless this form changed the
        setting, the save keeps the one stored now, not the one the form was opened with."""
        if "comments_open" not in self.cleaned_data or self.restoring or not self.instance.pk:
            return
        if "comments_open" not in self.changed_data and (stored := self.instance.stored()):
            self.cleaned_data["comments_open"] = stored.comments_open

    def refuse_stale_save(self):
        """Someone saved the story after this form was opened: say who, when and what, keep
        what this editor typed, and let a second save (now knowingly) replace their version."""
        opened = parse_datetime(self.cleaned_data.get("opened_version") or "")
        if self.restoring or not self.instance.pk or opened is None:
            return
        current = Article.objects.filter(pk=self.instance.pk).first()
        if current is None or current.updated_at == opened:
            return
        # Who made the save that left the story as it is now, if it was recorded.
        versions = revisions.versions_of(current.pk)
        latest = revisions.version_saved_as(versions, current.updated_at)
        who = "someone"
        if latest is not None and latest.revision.user is not None:
            who = latest.revision.user.get_full_name() or latest.revision.user.get_username()
        base = revisions.version_saved_as(versions, opened)
        changes = []
        if base is not None:
            changes = revisions.compare(
                revisions.snapshot_of_version(base), revisions.snapshot_of_article(current)
            )
        self.stale = {"who": who, "when": site_time(current.updated_at), "changes": changes}
        self.data = self.data.copy()
        self.data[self.add_prefix("opened_version")] = current.updated_at.isoformat()
        raise ValidationError(
            _(
                "Not saved: %(who)s changed this story at %(when)s, after you opened it. "
                "Their changes are shown above; what you typed is still in the form below. "
                "Save again to replace their version with yours, or reload the page to start "
                "from theirs."
            ),
            code="stale",
            params={"who": who, "when": self.stale["when"]},
        )

    @cached_property
    def sends_back(self) -> bool:
        """An editor moving the story from review back to draft: a send-back, with a note.
        Decided in clean(), before the save changes what the story was."""
        return (
            self.instance.pk is not None
            and getattr(self.instance, "_saved_status", None) == Article.Status.REVIEW
            and self.cleaned_data.get("status") == Article.Status.DRAFT
            and self.user is not None
            and self.user.has_perm(PUBLISH_PERMISSION)
            and not self.restoring
        )

    def clean(self):
        cleaned = super().clean()
        self.refuse_stale_save()
        self.keep_comments_setting()
        status = cleaned.get("status")
        may_publish = self.user is not None and self.user.has_perm(PUBLISH_PERMISSION)
        if self.sends_back and not cleaned.get("send_back_note", "").strip():
            self.add_error(
                "send_back_note" if "send_back_note" in self.fields else None,
                _("Say why the story goes back: the writer sees this note on their desk."),
            )
        changes_public_story = (
            status == Article.Status.PUBLISHED or self.instance.is_saved_as_published
        )
        if changes_public_story and not may_publish:
            raise ValidationError(
                _(
                    "You do not have permission to publish or change published stories. "
                    "Set the status to “In review” and an editor will publish it."
                ),
                code="publish_permission",
            )
        embargo = cleaned.get("embargo_until")
        if self.standing_embargo and (embargo is None or embargo < self.standing_embargo):
            cleaned["embargo_until"] = self.standing_embargo
        stored = self.instance.stored() if self.instance.pk else None
        if (
            not may_publish
            and stored is not None
            and stored.is_under_embargo_at(timezone.now())
            and (embargo is None or embargo < stored.embargo_until)
        ):
            # Anyone may record an embargo (a reporter has the press release); lifting one, or
            # bringing it forward, is a decision about publishing.
            self.add_error(
                "embargo_until", _("Only editors can lift an embargo or bring it forward.")
            )
        if status == Article.Status.PUBLISHED:
            if not cleaned.get("published_at"):
                cleaned["published_at"] = timezone.now()
            article = Article(
                kind=cleaned.get("kind") or Article.Kind.NEWS,
                sponsor=cleaned.get("sponsor") or "",
                headline=cleaned.get("headline") or "",
                slug=cleaned.get("slug") or "",
                section=cleaned.get("section"),
                lead_photo=cleaned.get("lead_photo"),
                embargo_until=cleaned.get("embargo_until"),
                blocks=cleaned.get("blocks") or [],
            )
            # Bylines are checked by the inline formset, which the form cannot see.
            errors = article.publication_errors(has_byline=True, at=cleaned["published_at"])
            for field, field_errors in errors.items():
                for error in field_errors:
                    self.add_error(field if field in self.fields else None, error)
        return cleaned


class StatusFilter(admin.SimpleListFilter):
    """The stored status, with scheduled stories told apart from live ones."""

    title = gettext_lazy("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            *Article.Status.choices,
            ("scheduled", _("Scheduled")),
            ("embargoed", _("Under embargo")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "embargoed":
            return queryset.under_embargo()
        if self.value() == Article.Status.PUBLISHED:
            return queryset.published()
        if self.value() in Article.Status.values:
            return queryset.filter(status=self.value())
        return queryset


class StoryChangeList(ChangeList):
    """The story list: its byline column reads every story's bylines, prefetched here (not in
    get_queryset, which every change page, heartbeat and action would pay for)."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.prefetch_related(bylines_prefetch())
