import functools
import operator

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.photos import renditions
from articles.photos.images import VerifiedImageField

from .json_columns import JSONField, json_object
from .loading import LoadedFromRows

# Where uploads are kept, under MEDIA_ROOT or the bucket. Never public at its storage address:
# originals go out only through Photo.lasting_original (and the back office's own address).
ORIGINALS_DIRECTORY = "photos/"


class PhotoQuerySet(models.QuerySet):
    # Every field by which a story shows a photo to readers. Whatever asks which photos readers
    # see (the publication guard over who may change them) follows this list, so a new way of
    # showing a photo (photos inside a story's body) is added here, once.
    STORY_FIELDS = ("lead_photo", "social_image", "block_photos")

    def shown_by(self, stories):
        """Photos any of `stories` (an Article queryset) shows, by any of STORY_FIELDS."""
        uses = [Exists(stories.filter(**{field: OuterRef("pk")})) for field in self.STORY_FIELDS]
        return self.filter(functools.reduce(operator.or_, uses))

    def shown_by_public_stories(self):
        """Photos a published or scheduled story shows: live on the site, or soon to be."""
        # By name: stories.py imports this module.
        Article = apps.get_model("articles", "Article")
        return self.shown_by(Article.objects.filter(status=Article.Status.PUBLISHED).order_by())


class Photo(LoadedFromRows, models.Model):
    image = VerifiedImageField(
        _("image"),
        upload_to=f"{ORIGINALS_DIRECTORY}%Y/%m/",
        width_field="width",
        height_field="height",
        help_text=_(
            "JPEG, PNG or WebP, at most 10 MB and 40 megapixels, no side over 12,000 "
            "pixels or more than 8 times the other. "
            "Uploads are re-encoded without their metadata."
        ),
    )
    width = models.PositiveIntegerField(_("width"), editable=False, null=True)
    height = models.PositiveIntegerField(_("height"), editable=False, null=True)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    alt_text = models.CharField(
        _("alt text"),
        max_length=250,
        blank=True,
        help_text=_(
            "What the photo shows, for readers who cannot see it. "
            "Required before the photo can lead a published story."
        ),
    )
    photographer = models.CharField(_("photographer"), max_length=120, blank=True)
    agency = models.CharField(
        _("agency"),
        max_length=120,
        blank=True,
        help_text=_("The source, such as Shutterstock or Reuters."),
    )
    usage_terms = models.TextField(
        _("usage terms"),
        blank=True,
        help_text=_("Rights and usage: licence, restrictions, who may reuse it."),
    )
    rights_expire_on = models.DateField(
        _("rights expire on"),
        null=True,
        blank=True,
        help_text=_("Last day the licence allows publication, if limited."),
    )
    # The subject of the photo, in percent of its width and height: crops keep it in frame.
    focal_x = models.FloatField(
        _("focal point across"),
        default=50,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        # A bare "% o" reads as a %-placeholder to the catalog tools: the sign goes in as a value.
        help_text=format_lazy(
            _(
                "Where the subject is, in {percent} of the width from the left edge (click the preview)."
            ),
            percent="%",
        ),
    )
    focal_y = models.FloatField(
        _("focal point down"),
        default=50,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=format_lazy(
            _("Where the subject is, in {percent} of the height from the top edge."), percent="%"
        ),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    renditions = JSONField(
        _("renditions"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_(
            "Resized copies for readers, made by articles.renditions when the photo is saved."
        ),
    )

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.caption or self.alt_text or self.image.name

    def get_absolute_url(self):
        return self.lasting_original()["url"]

    @classmethod
    def as_json(cls):
        """A photo's every column as one JSON object: how a story's own row can carry the
        photos its blocks show (ArticleQuerySet.with_block_photos), read back by from_json."""
        return json_object(**{field.attname: field.attname for field in cls._meta.concrete_fields})

    @classmethod
    def from_json(cls, row: dict) -> "Photo":
        fields = cls._meta.concrete_fields
        return cls.from_db(
            cls.objects.db,
            [field.attname for field in fields],
            [field.to_python(row[field.attname]) for field in fields],
        )  # its public address ("View on site")

    @property
    def rights_have_expired(self) -> bool:
        """Past the last day the licence allows publication."""
        return self.rights_expire_on is not None and self.rights_expire_on < timezone.localdate()

    @property
    def credit(self) -> str:
        """The rendered credit line: `Photo: <photographer> / <agency>`."""
        names = " / ".join(name for name in (self.photographer, self.agency) if name)
        return gettext("Photo: %(names)s") % {"names": names} if names else ""

    def lasting_original(self) -> dict:
        """The uploaded file as readers may be sent to it (url, width, height): what pages and
        feeds show while a photo has no renditions (photos/renditions.refresh could not make
        them). Never the file's storage address: an upload is not public until a published story
        shows it (a draft's or a scheduled story's photo stays private, on local disk as in a
        bucket), and a bucket's signed addresses expire within minutes, too soon for a page kept
        by a cache. The site's lasting address checks, then sends the file or a freshly signed
        address (public/originals.photo_original)."""
        url = reverse("photo_original", args=[self.pk])
        return {"url": url, "width": self.width, "height": self.height}

    def rendition_set(self, fmt: str = "jpeg") -> list[dict]:
        """Stored renditions in one format, narrowest first: dicts with width, height, url, bytes.

        Reads only the `renditions` column, so templates can call it without touching storage.
        """
        url = default_storage.url  # once through the lazy storage object, not per rendition
        return [{**item, "url": url(item["name"])} for item in self._stored_renditions(fmt)]

    def rendition(self, width: int, fmt: str = "jpeg") -> dict | None:
        """renditions.pick(self.rendition_set(fmt), width): the address made for that one only."""
        picked = renditions.pick(self._stored_renditions(fmt), width)
        return picked and {**picked, "url": default_storage.url(picked["name"])}

    def picture_sources(self) -> tuple[str, str, str | None, dict]:
        """What a <picture> shows of the stored renditions, without a dict made for each (a
        page shows dozens): the WebP and the JPEG srcset ("url 320w, url 640w, …"), the address
        of the JPEG for browsers that read no srcset (the narrowest at least 960 wide), and the
        size of the widest (else the original's: dict with width and height)."""
        url = default_storage.url  # once through the lazy storage object
        jpeg, webp = self._stored_renditions("jpeg"), self._stored_renditions("webp")
        fallback = renditions.pick(jpeg, 960)
        return (
            renditions.srcset(webp, url),
            renditions.srcset(jpeg, url),
            fallback and url(fallback["name"]),
            jpeg[-1] if jpeg else {"width": self.width, "height": self.height},
        )

    def _stored_renditions(self, fmt: str) -> list[dict]:
        """The renditions recorded in one format, if made from the current image."""
        if self.renditions.get("source") != self.image.name:
            return []
        return self.renditions.get(fmt, [])

    def crops(self) -> dict[str, dict]:
        """Stored crops by ratio ("16x9", "4x3", "1x1"): dicts with width, height, url, bytes.

        Made around the focal point when the photo is saved (articles/renditions.py); empty
        until they are, so structured data can fall back to the full frame.
        """
        if self.renditions.get("source") != self.image.name:
            return {}
        stored = self.renditions.get("crops", {})
        url = default_storage.url
        return {
            ratio: {**stored[ratio], "url": url(stored[ratio]["name"])}
            for ratio in renditions.CROP_RATIOS  # in this order: the JSON column sorts its keys
            if ratio in stored
        }
