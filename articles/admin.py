from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from . import renditions, seo
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
from .tag_autocomplete import TagAutocompleteField


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
    return {"url": photo.image.url, "width": photo.width, "height": photo.height}


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date and time inputs, each with a name of its own (the field's legend names
    the pair), as screen readers need."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[0].attrs["aria-label"] = "Date"
        self.widgets[1].attrs["aria-label"] = "Time"


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


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    form = PhotoForm
    list_display = ["thumbnail", "caption", "credit", "dimensions", "uploaded_at"]
    list_display_links = ["thumbnail", "caption"]
    search_fields = ["caption", "alt_text", "photographer", "agency"]
    list_filter = ["agency", "uploaded_at"]
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
    class Meta:
        widgets = {
            field: forms.TextInput(attrs={"class": "vLargeTextField", "data-count": limit})
            for field, limit in seo.RECOMMENDED_LENGTHS.items()
        }

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
    formfield_overrides = {models.DateTimeField: {"widget": LabelledSplitDateTime}}
    list_display = [
        "thumbnail", "headline", "section", "status_label", "byline", "published_at", "updated_at",
    ]  # fmt: skip
    list_display_links = ["thumbnail", "headline"]
    list_filter = ["status", "section", "authors", "tags", "published_at"]
    list_select_related = ["section", "lead_photo"]
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
