from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from . import renditions
from .admin_guards import PublicationGuard
from .models import (
    PUBLISH_PERMISSION,
    Article,
    ArticleRedirect,
    Author,
    Byline,
    Photo,
    Section,
    bylines_prefetch,
)
from .storage import is_disk_full
from .tag_autocomplete import TagAutocompleteField


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


@admin.register(Photo)
class PhotoAdmin(PublicationGuard, admin.ModelAdmin):
    public_lookup = "lead_photo"
    list_display = ["thumbnail", "caption", "credit", "dimensions", "uploaded_at"]
    list_display_links = ["thumbnail", "caption"]
    search_fields = ["caption", "alt_text", "photographer", "agency"]
    list_filter = ["agency", "uploaded_at"]
    readonly_fields = ["preview", "credit", "dimensions", "uploaded_at"]
    fieldsets = [
        (None, {"fields": ["image", "preview", "caption", "alt_text"]}),
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

    @admin.display(description="Photo")
    def thumbnail(self, photo):
        return format_html(
            '<img src="{}" alt="" width="96" style="height:auto;border-radius:3px">',
            renditions.image_url(photo, 320),
        )

    @admin.display(description="Preview")
    def preview(self, photo):
        if not photo.image:
            return "—"
        return format_html(
            '<img src="{}" alt="" style="max-width:420px;height:auto">',
            renditions.image_url(photo, 640),
        )

    @admin.display(description="Credit")
    def credit(self, photo):
        return photo.credit or "—"

    @admin.display(description="Size")
    def dimensions(self, photo):
        return f"{photo.width}×{photo.height}" if photo.width else "—"


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


class ArticleForm(forms.ModelForm):
    """Enforces who may publish and what a published story needs; `user` is set by the admin."""

    user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "tags" in self.fields:
            self.fields["tags"] = TagAutocompleteField(
                Article._meta.get_field("tags"),
                help_text="Type to find a tag; Enter adds a new one.",
            )
            if self.instance.pk:
                self.initial["tags"] = list(self.instance.tags.all())

    def clean(self):
        cleaned = super().clean()
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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    inlines = [BylineInline]
    list_display = [
        "thumbnail", "headline", "section", "status_label", "byline", "published_at", "updated_at",
    ]  # fmt: skip
    list_display_links = ["thumbnail", "headline"]
    list_filter = ["status", "section", "authors", "tags", "published_at"]
    list_select_related = ["section", "lead_photo"]
    search_fields = ["headline", "kicker", "subheadline", "slug", "authors__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "lead_photo"]
    readonly_fields = ["lead_photo_preview", "rendered_body", "tag_list"]
    save_on_top = True
    actions = ["send_to_review", "publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["kicker", "headline", "subheadline", "section", "body"]}),
        (
            "Photo and credits",
            {"fields": ["lead_photo", "lead_photo_preview", "contributor_note", "tags"]},
        ),
        ("Publication", {"fields": ["status", "published_at", "revised_at", "comments_open"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["slug"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(bylines_prefetch())

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

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def has_change_permission(self, request, obj=None):
        # Reporters can read a published story but not change it: that would be publishing.
        allowed = super().has_change_permission(request, obj)
        if allowed and obj is not None and obj.is_saved_as_published:
            return request.user.has_perm(PUBLISH_PERMISSION)
        return allowed

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="Photo")
    def thumbnail(self, article):
        if not article.lead_photo:
            return ""
        return format_html(
            '<img src="{}" alt="" width="64" style="height:auto;border-radius:3px">',
            renditions.image_url(article.lead_photo, 320),
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
            renditions.image_url(photo, 640),
            photo.caption,
            photo.credit or "No credit yet",
        )

    @admin.display(description="Status", ordering="status")
    def status_label(self, article):
        if article.is_scheduled:
            return "Scheduled"
        return article.get_status_display()

    @admin.display(description="Byline")
    def byline(self, article):
        return ", ".join(author.name for author in article.byline_authors)

    @admin.action(description="Send selected stories to review", permissions=["change"])
    def send_to_review(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.DRAFT):
            article.send_to_review()
            count += 1
        self.message_user(request, f"{count} stories sent to review.", messages.SUCCESS)

    @admin.action(description="Publish selected stories", permissions=["publish"])
    def publish(self, request, queryset):
        published = 0
        for article in queryset.exclude(status=Article.Status.PUBLISHED):
            try:
                article.publish(by=request.user)
            except (ValidationError, PermissionDenied) as error:
                reasons = "; ".join(
                    message
                    for messages_ in getattr(error, "message_dict", {}).values()
                    for message in messages_
                ) or str(error)
                self.message_user(
                    request, f"“{article}” was not published: {reasons}", messages.ERROR
                )
            else:
                published += 1
        if published:
            self.message_user(request, f"{published} stories published.", messages.SUCCESS)

    @admin.action(description="Unpublish selected stories (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            article.unpublish(by=request.user)
            count += 1
        self.message_user(request, f"{count} stories unpublished.", messages.SUCCESS)


@admin.register(ArticleRedirect)
class ArticleRedirectAdmin(admin.ModelAdmin):
    """Old addresses of stories, recorded automatically; deleting one makes its old links 404."""

    list_display = ["old_path", "article", "created_at"]
    search_fields = ["old_path", "article__headline"]
    list_select_related = ["article"]
    readonly_fields = ["old_path", "article", "created_at"]

    def has_add_permission(self, request):
        return False
