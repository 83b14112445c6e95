"""A live story's entries in the back office: the quick form and the list (newest first) on the
story's own admin page, and the pages behind them: add, change, delete, approve an entry, and
close or reopen the coverage. Routed by ArticleAdmin.get_urls (`urls()`), behind admin_view
(staff, CSRF); who may do what is decided by the model (models/live.py), asked here first so
that the page offers only what the user may do."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from articles.models import PUBLISH_PERMISSION, Article, Author, LiveEntry
from articles.models.live import set_coverage
from articles.models.richtext import plain_text, sanitize_html

from .block_editor import BlocksField
from .story_forms import LabelledSplitDateTime

# Entries listed on the story's admin page; older ones are on the reader's pages.
LISTED = 100


class QuickEntryForm(forms.Form):
    """The short form on the story's page: a text (and, often in live coverage, a link to a
    post or video to embed); the entry's page edits all its blocks. Prefixed: its fields sit on
    the same page as the story's own (ids stay unique)."""

    prefix = "entry"

    headline = forms.CharField(label=gettext_lazy("Headline"), max_length=200, required=False)
    text = forms.CharField(
        label=gettext_lazy("Text"),
        widget=forms.Textarea(attrs={"rows": 4, "class": "vLargeTextField"}),
        required=False,
        help_text=gettext_lazy(
            "Paragraphs separated by a blank line; links and emphasis as HTML if you like."
        ),
    )
    embed = forms.URLField(
        label=gettext_lazy("Embed (optional)"),
        required=False,
        assume_scheme="https",
        help_text=gettext_lazy("A post or video address to show."),
    )
    author = forms.ModelChoiceField(
        Author.objects.all(), label=gettext_lazy("Author"), required=False
    )
    pinned = forms.BooleanField(
        label=gettext_lazy("Pinned"),
        required=False,
        help_text=gettext_lazy("Shown first (replaces the pinned one)."),
    )
    key_event = forms.BooleanField(
        label=gettext_lazy("Key event"),
        required=False,
        help_text=gettext_lazy("Listed under “Key events”."),
    )

    def blocks(self) -> list[dict]:
        text = self.cleaned_data.get("text", "").strip()
        blocks = []
        if text:
            if "<" not in text:
                paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
                text = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
            if plain_text(sanitize_html(text)):
                blocks.append({"type": "text", "html": text})
        if embed := self.cleaned_data.get("embed"):
            blocks.append({"type": "embed", "url": embed})
        return blocks


class EntryForm(forms.ModelForm):
    """An entry's own page: every field, its blocks in the story's block editor."""

    class Meta:
        model = LiveEntry
        fields = ["published_at", "headline", "blocks", "author", "pinned", "key_event"]
        field_classes = {"blocks": BlocksField, "published_at": forms.SplitDateTimeField}
        widgets = {"published_at": LabelledSplitDateTime}
        # The model's own words (models/live.py), in the edition's language.
        labels = {
            "published_at": gettext_lazy("Published at"),
            "headline": gettext_lazy("Headline"),
            "blocks": gettext_lazy("Blocks"),
            "author": gettext_lazy("Author"),
            "pinned": gettext_lazy("Pinned"),
            "key_event": gettext_lazy("Key event"),
        }
        help_texts = {
            "published_at": gettext_lazy("The entry's time."),
            "blocks": gettext_lazy("The entry."),
            "pinned": gettext_lazy("Shown first; one per story."),
            "key_event": gettext_lazy("Listed under “Key events”."),
        }


def _story(request, object_id) -> Article:
    story_admin = admin.site.get_model_admin(Article)
    story = story_admin.get_object(request, unquote(object_id))
    if story is None or story.kind != Article.Kind.LIVE:
        raise Http404("No such live story.")
    if not story_admin.has_view_or_change_permission(request, story):
        raise PermissionDenied
    return story


def _entry(story: Article, entry_id: int) -> LiveEntry:
    return get_object_or_404(
        LiveEntry.objects.select_related("article"), pk=entry_id, article=story
    )


def _back(story: Article):
    return redirect(reverse("admin:articles_article_change", args=[story.pk]) + "#live-entries")


def _fail(request, error) -> None:
    for message in getattr(error, "messages", [str(error)]):
        messages.error(request, message)


def panel(request, story: Article) -> dict:
    """The live panel of the story's change page: nothing for other kinds of story."""
    if story.kind != Article.Kind.LIVE or not request.user.has_perm("articles.change_article"):
        return {}
    mine = Author.objects.filter(user=request.user).first()
    entries = story.entries.select_related("author", "created_by").newest_first()
    return {
        "live_panel": {
            "story": story,
            "form": QuickEntryForm(initial={"author": mine}),
            "entries": [(entry, entry.may_change(request.user)) for entry in entries[:LISTED]],
            "count": story.entries.count(),
            "may_publish": request.user.has_perm(PUBLISH_PERMISSION),
            "is_open": story.coverage_ended_at is None,
        }
    }


def _entry_page(request, story, form, entry=None, status=200):
    context = {
        **admin.site.each_context(request),
        "opts": Article._meta,
        "original": story,
        "title": (
            _("Change entry “%(entry)s”") % {"entry": entry}
            if entry
            else _("Add an entry to “%(story)s”") % {"story": story}
        ),
        "form": form,
        "entry": entry,
        "media": form.media,
    }
    return TemplateResponse(
        request, "admin/articles/article/live_entry.html", context, status=status
    )


@require_POST
def add_entry(request, object_id):
    story = _story(request, object_id)
    form = QuickEntryForm(request.POST)
    if form.is_valid():
        fields = {
            name: form.cleaned_data[name] for name in ("headline", "author", "pinned", "key_event")
        }
        try:
            entry = LiveEntry.post(story, by=request.user, blocks=form.blocks(), **fields)
        except ValidationError as error:
            for field, problems in getattr(error, "message_dict", {None: error.messages}).items():
                for problem in problems:
                    form.add_error(None if field in ("blocks", "__all__") else field, problem)
        else:
            added = (
                _("Entry “%(entry)s” added.")
                if entry.is_public
                else _("Entry “%(entry)s” added. It is held until an editor approves it.")
            )
            messages.success(request, added % {"entry": entry})
            return _back(story)
    # What was typed comes back with the reasons, never lost.
    return _entry_page(request, story, form, status=400)


def change_entry(request, object_id, entry_id):
    story = _story(request, object_id)
    entry = _entry(story, entry_id)
    if not entry.may_change(request.user):
        raise PermissionDenied
    form = EntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            entry.change(by=request.user, **fields)
        except ValidationError as error:
            _fail(request, error)
        else:
            messages.success(request, _("Entry “%(entry)s” changed.") % {"entry": entry})
            return _back(story)
    return _entry_page(request, story, form, entry, status=400 if form.errors else 200)


def delete_entry(request, object_id, entry_id):
    story = _story(request, object_id)
    entry = _entry(story, entry_id)
    if not entry.may_change(request.user):
        raise PermissionDenied
    if request.method == "POST":
        label = str(entry)
        entry.remove(by=request.user)
        messages.success(
            request,
            _("Entry “%(entry)s” deleted (it stays in the story's history).") % {"entry": label},
        )
        return _back(story)
    context = {
        **admin.site.each_context(request),
        "opts": Article._meta,
        "original": story,
        "title": _("Delete entry “%(entry)s”?") % {"entry": entry},
        "entry": entry,
    }
    return TemplateResponse(request, "admin/articles/article/live_entry_delete.html", context)


@require_POST
def approve_entry(request, object_id, entry_id):
    story = _story(request, object_id)
    entry = _entry(story, entry_id)
    if not request.user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied
    try:
        entry.approve(by=request.user)
    except ValidationError as error:
        _fail(request, error)
    else:
        messages.success(
            request, _("Entry “%(entry)s” approved: readers see it now.") % {"entry": entry}
        )
    return _back(story)


@require_POST
def coverage(request, object_id):
    story = _story(request, object_id)
    if not request.user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied
    reopen = request.POST.get("coverage") == "open"
    set_coverage(story, open=reopen, by=request.user)
    messages.success(
        request, _("Live coverage reopened.") if reopen else _("Live coverage closed.")
    )
    return _back(story)


def urls(admin_view) -> list:
    entry = "<path:object_id>/entries/<int:entry_id>/"
    return [
        path(
            "<path:object_id>/entries/add/",
            admin_view(add_entry),
            name="articles_article_entry_add",
        ),
        path(entry, admin_view(change_entry), name="articles_article_entry_change"),
        path(f"{entry}delete/", admin_view(delete_entry), name="articles_article_entry_delete"),
        path(f"{entry}approve/", admin_view(approve_entry), name="articles_article_entry_approve"),
        path("<path:object_id>/coverage/", admin_view(coverage), name="articles_article_coverage"),
    ]
