from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.decorators import method_decorator
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from reversion.admin import VersionAdmin

from . import credit_report, desk, edit_locks, renditions, revisions, seo
from .admin_desk import site_time  # also registers the front page and corrections
from .admin_guards import PublicationGuard
from .models import (
    PUBLISH_PERMISSION,
    Article,
    ArticleRedirect,
    Author,
    Byline,
    Contributor,
    Correction,
    EditLock,
    Photo,
    Section,
    bylines_prefetch,
)
from .storage import is_disk_full
from .tag_autocomplete import TagAutocompleteField


def stories(count: int) -> str:
    return ngettext("%(count)d story", "%(count)d stories", count) % {"count": count}


def thumbnail_img(photo, width: int, alt: str):
    """A sized thumbnail (no layout shift as it loads) with a text alternative."""
    item = renditions.pick(photo.rendition_set("jpeg"), width * 2) or original(photo)
    height = round(width * item["height"] / item["width"]) if item["width"] else width
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" style="border-radius:3px;object-fit:cover">',
        item["url"],
        alt,
        width,
        height,
    )


def original(photo) -> dict:
    """The uploaded file for staff: on object storage, its signed address (articles.models)."""
    return {"url": photo.image.url, "width": photo.width, "height": photo.height}


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date and time inputs, each with a name of its own (the field's legend names
    the pair), as screen readers need."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[0].attrs["aria-label"] = "Date"
        self.widgets[1].attrs["aria-label"] = "Time"


@admin.register(Section)
class SectionAdmin(PublicationGuard, admin.ModelAdmin):
    public_lookup = "section"
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(PublicationGuard, admin.ModelAdmin):
    public_lookup = "authors"
    list_display = ["name", "slug", "user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


class PhotoForm(forms.ModelForm):
    class Meta:
        model = Photo
        # The admin's fieldsets decide the fields shown; these are the ones every form has.
        fields = ["image", "focal_x", "focal_y", "caption", "alt_text", "photographer", "agency"]
        # Number inputs work without JavaScript; admin/photo_focal_point.js sets them on a click.
        widgets = {
            "focal_x": forms.NumberInput(attrs={"min": 0, "max": 100, "step": "0.1"}),
            "focal_y": forms.NumberInput(attrs={"min": 0, "max": 100, "step": "0.1"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, the focal point is the centre: an upload needs no more than the photo.
        for name in ("focal_x", "focal_y"):
            if name in self.fields:
                self.fields[name].required = False

    def clean_focal_x(self):
        return self._focus_or_centre("focal_x")

    def clean_focal_y(self):
        return self._focus_or_centre("focal_y")

    def _focus_or_centre(self, name):
        value = self.cleaned_data.get(name)
        return Photo._meta.get_field(name).default if value is None else value

    def clean(self):
        # Empty caption, credit and rights fields are filled from the file's IPTC/XMP/EXIF.
        cleaned = super().clean()
        embedded = getattr(cleaned.get("image"), "embedded", {})
        self.prefilled = []
        for field, value in embedded.items():
            if field in self.fields and not cleaned.get(field):
                cleaned[field] = value
                self.prefilled.append(self.fields[field].label or field)
        return cleaned


class RightsFilter(admin.SimpleListFilter):
    title = "rights"
    parameter_name = "rights"

    def lookups(self, request, model_admin):
        return [("expiring", "Leading live stories, expiring within 7 days or expired")]

    def queryset(self, request, queryset):
        if self.value() == "expiring":
            return queryset.filter(lead_for__in=desk.lives_with_expiring_photos()).distinct()
        return queryset


@admin.register(Photo)
class PhotoAdmin(PublicationGuard, admin.ModelAdmin):
    public_lookup = "lead_photo"
    form = PhotoForm
    list_display = ["thumbnail", "caption", "credit", "rights", "dimensions", "uploaded_at"]
    list_display_links = ["thumbnail", "caption"]
    search_fields = ["caption", "alt_text", "photographer", "agency"]
    list_filter = [RightsFilter, "agency", "uploaded_at"]
    change_list_template = "admin/articles/photo/change_list.html"
    readonly_fields = ["preview", "credit", "dimensions", "uploaded_at"]
    fieldsets = [
        (None, {"fields": ["image", "preview", "focal_x", "focal_y", "caption", "alt_text"]}),
        ("Credit", {"fields": ["photographer", "agency", "credit"]}),
        (
            "Rights and file",
            {
                "classes": ["collapse"],
                "fields": ["usage_terms", "rights_expire_on", "dimensions", "uploaded_at"],
            },
        ),
    ]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except OSError as error:
            if not is_disk_full(error):
                raise
            # The save ran in a transaction that is rolled back, and the storage removed its
            # partial file: say that nothing was stored, and why.
            context = {**self.admin_site.each_context(request), "title": "Photo not saved"}
            return TemplateResponse(request, "admin/upload_failed.html", context, status=507)

    class Media:
        js = ["articles/photo_focal_point.js", "articles/admin_accessibility.js"]
        css = {"all": ["articles/admin.css"]}

    @admin.display(description="Photo")
    def thumbnail(self, photo):
        return thumbnail_img(photo, 96, f"Edit photo: {photo}")

    @admin.display(description="Preview")
    def preview(self, photo):
        if not photo.image:
            return "—"
        if photo.pk is None:
            return "Shown once the photo is saved."
        item = renditions.pick(photo.rendition_set("jpeg"), 640) or original(photo)
        return format_html(
            '<div class="focal-point" style="--focal-x:{}%;--focal-y:{}%">'
            '<img src="{}" alt="{}" width="{}" height="{}">'
            '<span class="focal-point-mark" aria-hidden="true"></span></div>'
            '<p class="help">The mark is the focal point: crops for search engines and social '
            "cards keep it in frame. Click the subject to move it, or type its position below.</p>",
            photo.focal_x,
            photo.focal_y,
            item["url"],
            photo.alt_text,
            item["width"],
            item["height"],
        )

    @admin.display(description="Credit")
    def credit(self, photo):
        return photo.credit or "—"

    @admin.display(description="Size")
    def dimensions(self, photo):
        return f"{photo.width}×{photo.height}" if photo.width else "—"

    @admin.display(description="Rights until", ordering="rights_expire_on")
    def rights(self, photo):
        if photo.rights_expire_on is None:
            return "—"
        if photo.rights_have_expired:
            return format_html("<strong>Expired {}</strong>", localize(photo.rights_expire_on))
        return localize(photo.rights_expire_on)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if getattr(form, "prefilled", None):
            self.message_user(
                request,
                f"Filled in from the file's own data: {', '.join(form.prefilled).lower()}. "
                "Check them and change what is wrong.",
                messages.INFO,
            )

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # The stories at risk, above the list (what the "rights" filter narrows the list to).
        changelist.expiring = list(desk.lives_with_expiring_photos()[: desk.DESK_LENGTH])
        return changelist

    def get_urls(self):
        report = path(
            "agency-credits/",
            self.admin_site.admin_view(self.agency_credits_view),
            name="articles_photo_agency_credits",
        )
        return [report, *super().get_urls()]

    def agency_credits_view(self, request):
        """Photos that led stories published in a month, per agency; `?format=csv` exports."""
        if not request.user.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied
        today = timezone.localdate()
        error = ""
        try:
            month = credit_report.parse_month(request.GET.get("month") or f"{today:%Y-%m}")
        except ValueError:
            month = today.replace(day=1)
            error = "Choose a month as YYYY-MM, such as 2026-11; showing this month instead."
        rows = credit_report.credit_rows(month)
        if request.GET.get("format") == "csv" and not error:
            response = HttpResponse(
                credit_report.as_csv(rows), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = (
                f'attachment; filename="agency-credits-{month:%Y-%m}.csv"'
            )
            return response
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Agency credits, {month:%B %Y}",
            "month": month,
            "rows": rows,
            "totals": credit_report.totals(rows),
            "error": error,
            "site_time_zone": timezone.get_current_timezone_name(),
        }
        return TemplateResponse(
            request,
            "admin/articles/photo/agency_credits.html",
            context,
            status=400 if error else 200,
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
            raise ValidationError("A published story needs at least one byline.")
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
                    f"{clash.author} already has a byline on this story "
                    "(someone may have just added it). Reload the page to see the current bylines."
                )


class BylineInline(admin.TabularInline):
    model = Byline
    formset = BylineInlineFormSet
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    extra = 1
    verbose_name = "byline"
    verbose_name_plural = "Bylines (in order)"


class ContributorInline(admin.TabularInline):
    model = Contributor
    fields = ["name", "kind", "role", "position"]
    extra = 1
    verbose_name_plural = "Contributors (credited under the story, by role)"


class CorrectionInline(admin.StackedInline):
    model = Correction
    fields = ["text", "published_at"]
    extra = 0
    verbose_name_plural = "Corrections (shown to readers under the story and at /corrections/)"


class ArticleForm(forms.ModelForm):
    """Enforces who may publish and what a published story needs; `user` is set by the admin.

    `opened_version` carries the story's updated_at from when the form was opened: a save of a
    form opened before someone else's save is refused (no lost edits), see `refuse_stale_save`.
    """

    class Meta:
        widgets = {
            field: forms.TextInput(attrs={"class": "vLargeTextField", "data-count": limit})
            for field, limit in seo.RECOMMENDED_LENGTHS.items()
        }

    user = None
    restoring = False
    opened_version = forms.CharField(widget=forms.HiddenInput, required=False)
    stale = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.updated_at:
            self.initial["opened_version"] = self.instance.updated_at.isoformat()
        if "tags" in self.fields:
            self.fields["tags"] = TagAutocompleteField(
                Article._meta.get_field("tags"),
                help_text="Type to find a tag; Enter adds a new one.",
            )

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
            "Not saved: %(who)s changed this story at %(when)s, after you opened it. "
            "Their changes are shown above; what you typed is still in the form below. "
            "Save again to replace their version with yours, or reload the page to start "
            "from theirs.",
            code="stale",
            params={"who": who, "when": self.stale["when"]},
        )

    def clean(self):
        cleaned = super().clean()
        self.refuse_stale_save()
        status = cleaned.get("status")
        may_publish = self.user is not None and self.user.has_perm(PUBLISH_PERMISSION)
        changes_public_story = (
            status == Article.Status.PUBLISHED or self.instance.is_saved_as_published
        )
        if changes_public_story and not may_publish:
            raise ValidationError(
                "You do not have permission to publish or change published stories. "
                "Set the status to “In review” and an editor will publish it.",
                code="publish_permission",
            )
        if status == Article.Status.PUBLISHED:
            article = Article(
                headline=cleaned.get("headline") or "",
                slug=cleaned.get("slug") or "",
                section=cleaned.get("section"),
                lead_photo=cleaned.get("lead_photo"),
            )
            # Bylines are checked by the inline formset, which the form cannot see.
            for field, field_errors in article.publication_errors(has_byline=True).items():
                for error in field_errors:
                    self.add_error(field if field in self.fields else None, error)
            if not cleaned.get("published_at"):
                cleaned["published_at"] = timezone.now()
        return cleaned


class StatusFilter(admin.SimpleListFilter):
    """The stored status, with scheduled stories told apart from live ones."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*Article.Status.choices, ("scheduled", "Scheduled")]

    def queryset(self, request, queryset):
        if self.value() == "scheduled":
            return queryset.scheduled()
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


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleForm
    inlines = [BylineInline, ContributorInline, CorrectionInline]
    formfield_overrides = {models.DateTimeField: {"widget": LabelledSplitDateTime}}
    list_display = [
        "thumbnail", "headline", "section", "status_label", "byline", "published_at", "updated_at",
        "open_by",
    ]  # fmt: skip
    list_display_links = ["thumbnail", "headline"]
    list_filter = [StatusFilter, "section", "authors", "tags", "published_at"]
    list_select_related = ["section", "lead_photo", "edit_lock__user"]
    # Versions are recorded per story by the model methods the actions call, so the list view
    # itself is not wrapped in one revision (as VersionAdmin would), nor offers "recover deleted".
    change_list_template = None
    object_history_template = "admin/articles/article/object_history.html"
    search_fields = ["headline", "kicker", "subheadline", "slug", "authors__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "lead_photo", "social_image"]
    readonly_fields = [
        "lead_photo_preview", "rendered_body", "tag_list", "search_preview", "social_preview",
    ]  # fmt: skip
    save_on_top = True
    actions = ["send_to_review", "publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["kicker", "headline", "subheadline", "section", "body"]}),
        (
            "Photo and credits",
            {"fields": ["lead_photo", "lead_photo_preview", "contributor_note", "tags"]},
        ),
        ("Publication", {"fields": ["status", "published_at", "revised_at", "comments_open"]}),
        (
            "Search and social",
            {
                "description": "Each is optional: empty fields use the headline, subheadline "
                "and lead photo. The previews show the story as last saved.",
                "fields": [
                    "seo_title",
                    "meta_description",
                    "search_preview",
                    "social_headline",
                    "social_image",
                    "social_preview",
                ],
            },
        ),
        ("Advanced", {"classes": ["collapse"], "fields": ["slug"]}),
    ]

    def get_changelist(self, request, **kwargs):
        return StoryChangeList

    def get_fieldsets(self, request, obj=None):
        if obj is None or self.has_change_permission(request, obj):
            return super().get_fieldsets(request, obj)
        # Read-only (a reporter looking at a published story): show the story as readers see it.
        shown = {"body": "rendered_body", "tags": "tag_list"}
        return [
            (name, {**options, "fields": [shown.get(field, field) for field in options["fields"]]})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def get_readonly_fields(self, request, obj=None):
        # "Updated" is stamped by the site, never typed; only publishers set publication times
        # (a reporter's backdated time would otherwise survive an editor's publish action).
        fields = [*super().get_readonly_fields(request, obj), "revised_at"]
        if not request.user.has_perm(PUBLISH_PERMISSION):
            fields.append("published_at")
        return fields

    def has_change_permission(self, request, obj=None):
        # Reporters can read a published story but not change it: that would be publishing.
        allowed = super().has_change_permission(request, obj)
        if allowed and obj is not None and obj.is_saved_as_published:
            return request.user.has_perm(PUBLISH_PERMISSION)
        return allowed

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<path:object_id>/lock/",
                self.admin_site.admin_view(self.renew_lock_view),
                name="articles_article_lock",
            ),
            *super().get_urls(),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        restoring = getattr(request, "restoring_version", False)
        return type(form.__name__, (form,), {"user": request.user, "restoring": restoring})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = {"site_time_zone": timezone.get_current_timezone_name()}
        return super().change_view(
            request, object_id, form_url, {**context, **(extra_context or {})}
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Whoever has the story's form open for changing holds its edit lock (renewed on each
        # render); a successful save releases it (save_model).
        if change and obj is not None and self.has_change_permission(request, obj):
            if request.method == "GET":
                revisions.ensure_baseline(obj)
            context["edit_lock"] = edit_locks.take(obj, request.user)
            context["lock_url"] = reverse("admin:articles_article_lock", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Restoring writes the old version first and then validates the form against it, so
        # the "opened before someone else's save" check does not apply; publish rights do.
        request.restoring_version = True
        return super().revision_view(request, object_id, version_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        return admin.ModelAdmin.changelist_view(self, request, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if change and "_continue" not in request.POST:
            edit_locks.release(obj, request.user)

    @method_decorator(require_POST)
    def renew_lock_view(self, request, object_id):
        """The change page's heartbeat: keep this editor's lock while the page is open."""
        article = self.get_object(request, unquote(object_id))
        if article is None or not self.has_change_permission(request, article):
            raise PermissionDenied
        other = edit_locks.take(article, request.user)
        if other is not None:
            return HttpResponse(f"Being edited by {other.user.get_username()}", status=409)
        return HttpResponse(status=204)

    def compare_view(self, request, object_id):
        """Two versions of a story side by side as a word diff of what readers see."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such story.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        versions = {str(v.pk): v for v in revisions.versions_of(article.pk)}
        older, newer = versions.get(request.GET.get("a")), versions.get(request.GET.get("b"))
        if older is None or newer is None:
            messages.error(request, "Choose two versions of this story to compare.")
            return redirect("admin:articles_article_history", article.pk)
        if older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": f"Compare versions of “{article}”",
            "older": older,
            "newer": newer,
            "changes": revisions.compare(
                revisions.snapshot_of_version(older), revisions.snapshot_of_version(newer)
            ),
            "site_time_zone": timezone.get_current_timezone_name(),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def history_view(self, request, object_id, extra_context=None):
        """Every version, newest first, to compare or restore (the template adds both)."""
        action_list = [
            {
                "version": version,
                "revision": version.revision,
                "url": reverse(
                    "admin:articles_article_revision", args=[version.object_id, version.pk]
                ),
            }
            for version in revisions.versions_of(unquote(object_id))
        ]
        context = {
            "action_list": action_list,
            "site_time_zone": timezone.get_current_timezone_name(),
        }
        # Past VersionAdmin's own history_view, which would list every version again to build
        # an action list this one replaces.
        return admin.ModelAdmin.history_view(
            self, request, object_id, {**context, **(extra_context or {})}
        )

    class Media:
        js = ["articles/character_counts.js", "articles/admin_accessibility.js"]
        css = {"all": ["articles/admin.css"]}

    @admin.display(description="Photo")
    def thumbnail(self, article):
        if not article.lead_photo:
            return ""
        return thumbnail_img(article.lead_photo, 64, f"Edit “{article.headline}”")

    @admin.display(description="Search result preview")
    def search_preview(self, article):
        if article.pk is None:
            return "Shown once the story is saved."
        title, text = seo.title(article), seo.description(article)
        return format_html(
            '<div class="search-preview"><p class="search-preview-url">{}</p>'
            '<p class="search-preview-title">{}</p><p class="search-preview-text">{}</p></div>'
            '<p class="help">Title {} characters (about {} show); description {} characters '
            "(about {} show).</p>",
            article.get_absolute_url(),
            title,
            text,
            len(title),
            seo.RECOMMENDED_LENGTHS["seo_title"],
            len(text),
            seo.RECOMMENDED_LENGTHS["meta_description"],
        )

    @admin.display(description="Social card preview")
    def social_preview(self, article):
        if article.pk is None:
            return "Shown once the story is saved."
        image = seo.social_image(seo.social_photo(article))
        picture = (
            format_html(
                '<img src="{}" alt="{}" width="{}" height="{}">',
                image["url"],
                image["alt"],
                image["width"],
                image["height"],
            )
            if image
            else mark_safe('<p class="social-preview-none">No photo: the card has no picture.</p>')
        )
        title = seo.social_title(article)
        return format_html(
            '<div class="social-preview">{}<p class="social-preview-site">{}</p>'
            '<p class="social-preview-title">{}</p><p class="social-preview-text">{}</p></div>'
            '<p class="help">Headline {} characters (about {} show).</p>',
            picture,
            seo.site_name(),
            title,
            seo.description(article),
            len(title),
            seo.RECOMMENDED_LENGTHS["social_headline"],
        )

    @admin.display(description="Body")
    def rendered_body(self, article):
        return mark_safe(article.body)  # sanitised on every save

    @admin.display(description="Tags")
    def tag_list(self, article):
        return ", ".join(tag.name for tag in article.tags.all()) or "—"

    @admin.display(description="Lead photo as readers see it")
    def lead_photo_preview(self, article):
        photo = article.lead_photo
        if photo is None:
            return "—"
        return format_html(
            '<img src="{}" alt="" width="240" style="height:auto"><br>{} <strong>{}</strong>',
            (renditions.pick(photo.rendition_set("jpeg"), 640) or original(photo))["url"],
            photo.caption,
            photo.credit or "No credit yet",
        )

    @admin.display(description="Status", ordering="status")
    def status_label(self, article):
        if article.is_scheduled:
            return "Scheduled"
        return article.get_status_display()

    @admin.display(description="Open by")
    def open_by(self, article):
        try:
            lock = article.edit_lock
        except EditLock.DoesNotExist:
            return ""
        if not lock.is_live:
            return ""
        return format_html("✎ {}", lock.user.get_username())

    @admin.display(description="Byline")
    def byline(self, article):
        return ", ".join(author.name for author in article.byline_authors)

    @admin.action(description="Send selected stories to review", permissions=["change"])
    def send_to_review(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.DRAFT):
            article.send_to_review(by=request.user)
            self.log_change(request, article, "Sent to review.")
            count += 1
        self.message_user(request, f"{stories(count)} sent to review.", messages.SUCCESS)

    @admin.action(description="Publish selected stories now", permissions=["publish"])
    def publish(self, request, queryset):
        """Publish now: drafts, stories in review, and scheduled stories brought forward."""
        published = 0
        for article in queryset.select_related("lead_photo"):
            if article.is_published:
                self.message_user(request, f"“{article}” is already published.", messages.WARNING)
                continue
            was_scheduled_for = article.published_at if article.is_scheduled else None
            try:
                article.publish_now(by=request.user)
            except (ValidationError, PermissionDenied) as error:
                reasons = "; ".join(
                    message
                    for messages_ in getattr(error, "message_dict", {}).values()
                    for message in messages_
                ) or str(error)
                self.message_user(
                    request, f"“{article}” was not published: {reasons}", messages.ERROR
                )
                continue
            published += 1
            note = "Published."
            if was_scheduled_for is not None:
                note = f"Published now; it was scheduled for {site_time(was_scheduled_for)}."
                self.message_user(request, f"“{article}”: {note}", messages.INFO)
            self.log_change(request, article, note)
        if published:
            self.message_user(request, f"{stories(published)} published.", messages.SUCCESS)

    @admin.action(description="Unpublish selected stories (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            article.unpublish(by=request.user)
            self.log_change(request, article, "Unpublished (back to draft).")
            count += 1
        self.message_user(request, f"{stories(count)} unpublished.", messages.SUCCESS)


@admin.register(ArticleRedirect)
class ArticleRedirectAdmin(admin.ModelAdmin):
    """Old addresses of stories, recorded automatically; deleting one makes its old links 404."""

    list_display = ["old_path", "article", "created_at"]
    search_fields = ["old_path", "article__headline"]
    list_select_related = ["article"]
    readonly_fields = ["old_path", "article", "created_at"]

    def has_add_permission(self, request):
        return False
