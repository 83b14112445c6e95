"""Responsive copies of photos for readers: several widths, WebP with a JPEG fallback, and
crops in the ratios search engines and social networks ask for, framed around the focal point.

Made once per uploaded file (see photos/signal_handlers.py) and listed in `Photo.renditions`, so
rendering a page reads a column and never touches storage. Never upscaled; EXIF orientation
applied; written through Django's default storage. Moving the focal point remakes the crops only.
"""

import hashlib
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
# Crops for structured data and social cards (Google asks for 16:9, 4:3 and 1:1, ≥ 1200 px wide).
CROP_RATIOS = {"16x9": (16, 9), "4x3": (4, 3), "1x1": (1, 1)}
CROP_WIDTH = 1200


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


def focus_of(photo) -> list[float]:
    """The focal point as fractions of width and height (the model stores percentages)."""
    return [photo.focal_x / 100, photo.focal_y / 100]


def crop_box(size: tuple[int, int], ratio: tuple[int, int], focus) -> tuple[int, int, int, int]:
    """The largest box of `ratio` inside an image of `size`, centred on `focus` (fractions)
    as far as the edges allow: the focal point is always inside it."""
    width, height = size
    crop_w = min(width, round(height * ratio[0] / ratio[1]))
    crop_h = min(height, round(crop_w * ratio[1] / ratio[0]))

    def start(extent, crop, centre):
        return min(max(round(centre * extent - crop / 2), 0), extent - crop)

    left, top = start(width, crop_w, focus[0]), start(height, crop_h, focus[1])
    return left, top, left + crop_w, top + crop_h


def _open(photo) -> Image.Image:
    """The photo decoded, upright, RGB and without metadata, in bounded time and memory: a file
    outside the upload limits (one stored before them) is refused before it is decoded, and a
    JPEG is decoded at the smallest scale the widest rendition allows."""
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
    return without_metadata(_flatten(image))


def _stem(photo) -> str:
    return slugify(PurePath(photo.image.name).stem)[:60] or "photo"


def _save_jpeg(image: Image.Image, name: str) -> dict:
    pil_format, _, _, options = FORMATS["jpeg"]
    out = io.BytesIO()
    image.save(out, pil_format, **options)
    data = out.getvalue()
    digest = hashlib.sha256(data).hexdigest()[:12]  # named after the content, as renditions are
    stored = default_storage.save(f"{name}-{digest}.jpg", ContentFile(data))
    return {"width": image.width, "height": image.height, "name": stored, "bytes": len(data)}


def make_crops(photo, image: Image.Image) -> dict:
    """A JPEG per ratio in CROP_RATIOS, CROP_WIDTH wide (narrower only when the source is)."""
    focus = focus_of(photo)
    # The focal point is in the names: a moved point makes new addresses, never a stale copy.
    tag = f"f{round(focus[0] * 1000)}x{round(focus[1] * 1000)}"
    crops = {}
    for key, ratio in CROP_RATIOS.items():
        cropped = image.crop(crop_box(image.size, ratio, focus))
        if cropped.width > CROP_WIDTH:
            size = (CROP_WIDTH, max(1, round(CROP_WIDTH * ratio[1] / ratio[0])))
            cropped = cropped.resize(size, Image.LANCZOS)
        name = f"renditions/{photo.pk}/{_stem(photo)}-{key}-{cropped.width}-{tag}"
        crops[key] = _save_jpeg(cropped, name)
    return crops


def generate(photo) -> dict:
    """Write every rendition and crop of `photo` to storage; return the listing for
    `Photo.renditions`. Each width is resized from the one above it, not from the original."""
    source = _open(photo)
    stem = _stem(photo)
    listing: dict = {"source": photo.image.name, **{key: [] for key in FORMATS}}
    made, image = {}, source
    for width in sorted(widths_for(source.width), reverse=True):
        height = max(1, round(source.height * width / source.width))
        made[width] = image = image.resize((width, height), Image.LANCZOS, reducing_gap=3.0)
    try:
        for width, resized in sorted(made.items()):
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
                    {"width": width, "height": resized.height, "name": name, "bytes": len(data)}
                )
        listing["focus"] = focus_of(photo)
        listing["crops"] = make_crops(photo, source)
    except OSError:
        delete_files(listing)  # a full disk leaves no half set of renditions behind
        raise
    return listing


def file_names(listing: dict, *, crops_only: bool = False) -> list[str]:
    """The storage names of the files a renditions listing names."""
    items = [] if crops_only else [item for key in FORMATS for item in listing.get(key, [])]
    items += listing.get("crops", {}).values()
    return [item["name"] for item in items]


def delete_files(listing: dict, *, crops_only: bool = False) -> None:
    for name in file_names(listing, crops_only=crops_only):
        default_storage.delete(name)


def refresh(photo) -> bool:
    """Make the renditions if the photo's file has none yet, or its crops if the focal point
    moved; True when it made any.

    A file that cannot be read leaves the listing empty: pages then show the original.
    """
    if not photo.image:
        return False
    same_file = photo.renditions.get("source") == photo.image.name
    if same_file and photo.renditions.get("focus") == focus_of(photo):
        return False
    try:
        if same_file:
            listing = {**photo.renditions, "focus": focus_of(photo)}
            listing["crops"] = make_crops(photo, _open(photo))
        else:
            listing = generate(photo)
    except (OSError, ValueError):
        logger.exception("Could not make renditions of photo %s", photo.pk)
        return False
    old, photo.renditions = photo.renditions, listing
    type(photo).objects.filter(pk=photo.pk).update(renditions=listing)
    delete_files(old, crops_only=same_file)
    return True


def pick(renditions: list[dict], width: int) -> dict | None:
    """The narrowest rendition at least `width` wide, else the widest there is."""
    for item in renditions:
        if item["width"] >= width:
            return item
    return renditions[-1] if renditions else None


def srcset(renditions: list[dict], url=None) -> str:
    """An HTML srcset: "url 320w, url 640w, …". With `url`, each rendition's address is
    `url(name)`: renditions as stored, without an address each."""
    if url is None:
        return ", ".join(f"{item['url']} {item['width']}w" for item in renditions)
    return ", ".join(f"{url(item['name'])} {item['width']}w" for item in renditions)
