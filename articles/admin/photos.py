"""The photo library in the back office: uploads with their credits, focal points, rights."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminFileWidget
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy

from articles.editorial import desk
from articles.models import Photo
from articles.photos import renditions
from articles.photos.storage import is_disk_full

from . import photo_views
from .guards import PublicationGuard


def thumbnail_img(photo, width: int, alt: str):
    """A sized thumbnail (no layout shift as it loads) with a text alternative."""
    item = renditions.pick(photo.rendition_set("jpeg"), width * 2) or staff_original(photo)
    height = round(width * item["height"] / item["width"]) if item["width"] else width
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" style="border-radius:3px;object-fit:cover">',
        item["url"],
        alt,
        width,
        height,
    )


def staff_original(photo) -> dict:
    """The uploaded file for staff, through the back office's own address (which checks who
    asks): originals are never public at their storage address."""
    url = reverse("admin:articles_photo_original", args=[photo.pk])
    return {"url": url, "width": photo.width, "height": photo.height}


class _StaffLink:
    """A stored file as the upload widget's "Currently:" link shows it: at staff_original."""

    def __init__(self, file):
        self.file, self.url = file, staff_original(file.instance)["url"]

    def __str__(self):
        return str(self.file)


class OriginalFileInput(AdminFileWidget):
    """The upload field, linking the current file through the back office."""

    def format_value(self, value):
        if self.is_initial(value) and getattr(value.instance, "pk", None) is not None:
            return _StaffLink(value)
        return super().format_value(value)


class PhotoForm(forms.ModelForm):
    class Meta:
        model = Photo
        # The admin's fieldsets decide the fields shown; these are the ones every form has.
        fields = ["image", "focal_x", "focal_y", "caption", "alt_text", "photographer", "agency"]
        # Number inputs work without JavaScript; admin/photo_focal_point.js sets them on a click.
        widgets = {
            "image": OriginalFileInput,
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
    title = gettext_lazy("rights")
    parameter_name = "rights"

    def lookups(self, request, model_admin):
        return [("expiring", gettext("In live stories, expiring within 7 days or expired"))]

    def queryset(self, request, queryset):
        if self.value() == "expiring":
            return queryset.filter(pk__in=desk.expiring_photos().values("pk"))
        return queryset


@admin.register(Photo)
class PhotoAdmin(PublicationGuard, admin.ModelAdmin):
    form = PhotoForm
    list_display = ["thumbnail", "caption", "credit", "rights", "dimensions", "uploaded_at"]
    list_display_links = ["thumbnail", "caption"]
    search_fields = ["caption", "alt_text", "photographer", "agency"]
    list_filter = [RightsFilter, "agency", "uploaded_at"]
    change_list_template = "admin/articles/photo/change_list.html"
    readonly_fields = ["preview", "credit", "dimensions", "uploaded_at"]
    fieldsets = [
        (None, {"fields": ["image", "preview", "focal_x", "focal_y", "caption", "alt_text"]}),
        (gettext_lazy("Credit"), {"fields": ["photographer", "agency", "credit"]}),
        (
            gettext_lazy("Rights and file"),
            {
                "classes": ["collapse"],
                "fields": ["usage_terms", "rights_expire_on", "dimensions", "uploaded_at"],
            },
        ),
    ]

    def shown_publicly(self, objects) -> bool:
        # Every way a story shows a photo (lead, social image, …) is guarded alike: one list.
        pks = objects.values("pk") if isinstance(objects, QuerySet) else [o.pk for o in objects]
        return Photo.objects.filter(pk__in=pks).shown_by_public_stories().exists()

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

    @admin.display(description=gettext_lazy("Photo"))
    def thumbnail(self, photo):
        return thumbnail_img(photo, 96, f"Edit photo: {photo}")

    @admin.display(description=gettext_lazy("Preview"))
    def preview(self, photo):
        if not photo.image:
            return "—"
        if photo.pk is None:
            return "Shown once the photo is saved."
        item = renditions.pick(photo.rendition_set("jpeg"), 640) or staff_original(photo)
        return render_to_string(
            "admin/articles/photo/focal_point_preview.html", {"photo": photo, "item": item}
        )

    @admin.display(description=gettext_lazy("Credit"))
    def credit(self, photo):
        return photo.credit or "—"

    @admin.display(description=gettext_lazy("Size"))
    def dimensions(self, photo):
        return f"{photo.width}×{photo.height}" if photo.width else "—"

    @admin.display(description=gettext_lazy("Rights until"), ordering="rights_expire_on")
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
                gettext(
                    "Filled in from the file's own data: %(fields)s. "
                    "Check them and change what is wrong."
                )
                % {"fields": ", ".join(map(str, form.prefilled)).lower()},
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
            self.admin_site.admin_view(photo_views.agency_credits),
            name="articles_photo_agency_credits",
        )
        original = path(
            "<int:pk>/original/",
            self.admin_site.admin_view(photo_views.original),
            name="articles_photo_original",
        )
        return [report, original, *super().get_urls()]
