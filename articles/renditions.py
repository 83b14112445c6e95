"""Responsive copies of photos for readers: several widths, WebP with a JPEG fallback.

Made once per uploaded file (see articles/signals.py) and listed in `Photo.renditions`, so
rendering a page reads a column and never touches storage. Never upscaled; EXIF orientation
applied; written through Django's default storage.
"""

import io
import logging
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.text import slugify
from PIL import Image, ImageOps

from .images import check_shape, without_metadata

logger = logging.getLogger(__name__)

WIDTHS = (320, 640, 960, 1280, 1600)
# Format key in Photo.renditions → (Pillow format, file extension, MIME type, encoder options).
FORMATS = {
    "webp": ("WEBP", "webp", "image/webp", {"quality": 80, "method": 4}),
    "jpeg": ("JPEG", "jpg", "image/jpeg", {"quality": 82, "optimize": True, "progressive": True}),
}
CONTENT_TYPES = {key: spec[2] for key, spec in FORMATS.items()}


def widths_for(source_width: int) -> list[int]:
    """The standard widths narrower than the source, plus the source itself (capped): no upscaling."""
    widths = [width for width in WIDTHS if width < source_width]
    widths.append(min(source_width, WIDTHS[-1]))
    return sorted(set(widths))


def _flatten(image: Image.Image) -> Image.Image:
    """Upright RGB: EXIF orientation applied, transparency laid on white."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def generate(photo) -> dict:
    """Write every rendition of `photo` to storage and return the listing for `Photo.renditions`.

    Time and memory are bounded: a file outside the upload limits (one stored before them) is
    refused before it is decoded, a JPEG is decoded at the smallest scale the widest rendition
    allows, and each width is resized from the one above it rather than from the original.
    """
    with photo.image.open("rb") as source:
        image = Image.open(source)
        try:
            check_shape(image.width, image.height)
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from None
        if image.width * image.height > settings.PHOTO_MAX_PIXELS:
            raise ValueError(f"{image.width}×{image.height} is over the pixel limit")
        # Both sides at least as large as any rendition needs, whichever way the photo turns.
        image.draft("RGB", (min(image.width, WIDTHS[-1]), min(image.height, WIDTHS[-1])))
        image.load()
    image = without_metadata(_flatten(image))
    stem = slugify(PurePath(photo.image.name).stem)[:60] or "photo"
    listing: dict = {"source": photo.image.name, **{key: [] for key in FORMATS}}
    made, source_width, source_height = {}, image.width, image.height
    for width in sorted(widths_for(source_width), reverse=True):
        height = max(1, round(source_height * width / source_width))
        made[width] = image = image.resize((width, height), Image.LANCZOS, reducing_gap=3.0)
    try:
        for width, resized in sorted(made.items()):
            height = resized.height
            for key, (pil_format, extension, _, options) in FORMATS.items():
                out = io.BytesIO()
                resized.save(out, pil_format, **options)
                data = out.getvalue()
                name = default_storage.save(
                    f"renditions/{photo.pk}/{stem}-{width}.{extension}", ContentFile(data)
                )
                listing[key].append(
                    {"width": width, "height": height, "name": name, "bytes": len(data)}
                )
    except OSError:
        delete_files(listing)  # a full disk leaves no half set of renditions behind
        raise
    return listing


def delete_files(listing: dict) -> None:
    for key in FORMATS:
        for item in listing.get(key, []):
            default_storage.delete(item["name"])


def refresh(photo) -> bool:
    """Make the renditions if the photo's file has none yet; True when it made them.

    A file that cannot be read leaves the listing empty: pages then show the original.
    """
    if not photo.image or photo.renditions.get("source") == photo.image.name:
        return False
    try:
        listing = generate(photo)
    except (OSError, ValueError):
        logger.exception("Could not make renditions of photo %s", photo.pk)
        return False
    old, photo.renditions = photo.renditions, listing
    type(photo).objects.filter(pk=photo.pk).update(renditions=listing)
    delete_files(old)
    return True


def pick(renditions: list[dict], width: int) -> dict | None:
    """The narrowest rendition at least `width` wide, else the widest there is."""
    for item in renditions:
        if item["width"] >= width:
            return item
    return renditions[-1] if renditions else None


def srcset(renditions: list[dict]) -> str:
    """An HTML srcset: "url 320w, url 640w, …"."""
    return ", ".join(f"{item['url']} {item['width']}w" for item in renditions)


def image_url(photo, width: int = 1280) -> str:
    """A JPEG URL about `width` wide, for feeds, social cards and admin thumbnails."""
    item = pick(photo.rendition_set("jpeg"), width)
    return item["url"] if item else photo.image.url
