"""Responsive copies of photos for readers: several widths, WebP with a JPEG fallback.

Made once per uploaded file (see articles/signals.py) and listed in `Photo.renditions`, so
rendering a page reads a column and never touches storage. Never upscaled; EXIF orientation
applied; written through Django's default storage.
"""

import hashlib
import io
import logging
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.text import slugify
from PIL import Image, ImageOps

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
    """Write every rendition of `photo` to storage and return the listing for `Photo.renditions`."""
    with photo.image.open("rb") as source:
        image = Image.open(source)
        image.load()
    image = _flatten(image)
    stem = slugify(PurePath(photo.image.name).stem)[:60] or "photo"
    listing: dict = {"source": photo.image.name, **{key: [] for key in FORMATS}}
    for width in widths_for(image.width):
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else image.resize((width, height), Image.LANCZOS)
        for key, (pil_format, extension, _, options) in FORMATS.items():
            out = io.BytesIO()
            resized.save(out, pil_format, **options)
            data = out.getvalue()
            # Named after the content: a changed photo gets new addresses, so readers' caches
            # may keep a rendition for ever (newsroom/views.py: media).
            digest = hashlib.sha256(data).hexdigest()[:12]
            name = default_storage.save(
                f"renditions/{photo.pk}/{stem}-{digest}-{width}.{extension}", ContentFile(data)
            )
            listing[key].append(
                {"width": width, "height": height, "name": name, "bytes": len(data)}
            )
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
