"""Photo uploads: verified by Pillow from their content, then re-encoded.

Django's own ImageField trusts a file that merely opens: it accepts decompression bombs
(a warning only) and images with HTML or scripts appended. Re-encoding keeps the pixels
and drops everything else, including EXIF data such as a photographer's GPS position.
"""

import io
import warnings
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils.text import slugify
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from . import metadata

ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def check_shape(width: int, height: int) -> None:
    """Refuse a photo with a side or a ratio no news photo has: a 39,000,000 × 1 px PNG is a few
    kilobytes and under the pixel limit, yet each resize of it takes seconds and gigabytes."""
    longest, shortest = max(width, height), max(1, min(width, height))
    if longest > settings.PHOTO_MAX_SIDE:
        raise ValidationError(
            "This image is %(width)s×%(height)s pixels; no side may be longer than %(limit)s "
            "pixels. Export a smaller version and upload that.",
            code="side_too_long",
            params={"width": width, "height": height, "limit": settings.PHOTO_MAX_SIDE},
        )
    if longest / shortest > settings.PHOTO_MAX_ASPECT_RATIO:
        raise ValidationError(
            "This image is %(width)s×%(height)s pixels; one side may be at most %(ratio)s times "
            "the other. Crop it to a usual photo shape and upload that.",
            code="aspect_ratio",
            params={"width": width, "height": height, "ratio": settings.PHOTO_MAX_ASPECT_RATIO},
        )


def open_verified(fileobj) -> Image.Image:
    """Open an image by its content, refusing anything but JPEG, PNG and WebP and any bomb."""
    fileobj.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(fileobj, formats=tuple(ACCEPTED_FORMATS))
            check_shape(image.width, image.height)
            if image.width * image.height > settings.PHOTO_MAX_PIXELS:
                raise ValidationError(
                    "This image is %(width)s×%(height)s pixels; the limit is %(limit)s megapixels. "
                    "Export a smaller version and upload that.",
                    code="too_many_pixels",
                    params={
                        "width": image.width,
                        "height": image.height,
                        "limit": settings.PHOTO_MAX_PIXELS // 1_000_000,
                    },
                )
            image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValidationError(
            "This image declares more pixels than it could safely be opened with "
            "(a decompression bomb). Upload the photo as an ordinary JPEG, PNG or WebP.",
            code="decompression_bomb",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            "This file is not a JPEG, PNG or WebP image (or it is damaged). "
            "Upload a photo in one of those formats.",
            code="not_an_image",
        ) from None
    return image


# What Pillow may carry from a decoded image into a saved one: transparency is part of the
# picture, and the colour profile keeps colours right. Comments, XMP, EXIF, text chunks and
# everything else go (a JPEG COM segment otherwise survives every re-encode).
KEPT_INFO = ("transparency", "icc_profile")

# Real colour profiles are small: sRGB is 3 KB, a camera's or a wide-gamut display's some tens of
# kilobytes. A bigger "profile" is a place to carry something else through the re-encode.
MAX_ICC_PROFILE_BYTES = 256 * 1024


# The ICC colour space a profile must describe to fit the pixels it is saved with.
PROFILE_SPACES = {"RGB": "RGB", "RGBA": "RGB", "P": "RGB", "L": "GRAY", "LA": "GRAY"}


def real_icc_profile(data, mode: str) -> bytes | None:
    """The profile if it is one for pixels of `mode`: small, its declared size its real size
    (nothing appended), parsed by Little CMS as an ICC profile of the right colour space;
    else None. A PNG's iCCP chunk or a JPEG's APP2 segments otherwise carry any bytes at all
    into every copy readers get (and a CMYK profile on RGB pixels would falsify colours)."""
    if not isinstance(data, bytes) or not 128 <= len(data) <= MAX_ICC_PROFILE_BYTES:
        return None
    if int.from_bytes(data[:4], "big") != len(data):
        return None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(data)).profile
    except (OSError, ValueError, TypeError, ImageCms.PyCMSError):
        return None
    return data if profile.xcolor_space.strip() == PROFILE_SPACES.get(mode) else None


def without_metadata(image: Image.Image) -> Image.Image:
    """`image` keeping only KEPT_INFO, its profile only if a real one for its pixels' mode."""
    kept = {key: image.info[key] for key in KEPT_INFO if key in image.info}
    if "icc_profile" in kept and real_icc_profile(kept["icc_profile"], image.mode) is None:
        del kept["icc_profile"]
    image.info = kept
    return image


def reencode(uploaded) -> SimpleUploadedFile:
    """Return a clean copy of an uploaded photo: upright, without metadata or trailing bytes."""
    if uploaded.size and uploaded.size > settings.PHOTO_MAX_BYTES:
        raise ValidationError(
            "This file is %(size)s MB; photos may be at most %(limit)s MB.",
            code="too_large",
            params={
                "size": round(uploaded.size / 1_048_576, 1),
                "limit": settings.PHOTO_MAX_BYTES // 1_048_576,
            },
        )
    image = open_verified(uploaded)
    image_format = image.format
    embedded = metadata.read(image)
    image = ImageOps.exif_transpose(image)
    if image_format == "JPEG":
        image = image.convert("RGB")
    image = without_metadata(image)
    out = io.BytesIO()
    # Pillow's JPEG and WebP writers take the profile only when told (PNG's reads image.info).
    profile = {"icc_profile": image.info.get("icc_profile")}
    if image_format == "JPEG":
        image.save(out, "JPEG", quality=90, optimize=True, progressive=True, **profile)
    elif image_format == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=88, **profile)
    stem = slugify(PurePath(uploaded.name or "photo").stem)[:80] or "photo"
    clean = SimpleUploadedFile(
        f"{stem}.{ACCEPTED_FORMATS[image_format]}",
        out.getvalue(),
        content_type=CONTENT_TYPES[image_format],
    )
    # What the file said about itself, for the form to fill in (photos/metadata.py).
    clean.embedded = embedded
    return clean


class VerifiedImageFormField(forms.ImageField):
    """A form field that accepts only verified photos and hands on the re-encoded copy."""

    def to_python(self, data):
        uploaded = forms.FileField.to_python(self, data)
        if uploaded is None:
            return None
        return reencode(uploaded)


class VerifiedImageField(models.ImageField):
    """An ImageField whose forms verify and re-encode every upload."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": VerifiedImageFormField, **kwargs})
