"""A photo keeps its colour profile through the re-encode only when it is a real, small ICC
profile: a PNG's iCCP chunk (or a JPEG's or WebP's) cannot carry other bytes to readers
(issue 19, the PNG part)."""

import io
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageCms

from articles.models import Photo
from articles.photos.images import MAX_ICC_PROFILE_BYTES

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_photo_add")
PAYLOAD = b"<script>alert('carried through')</script>" * 20
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def with_profile(fmt: str, profile: bytes) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (30, 90, 160)).save(out, fmt, icc_profile=profile)
    return out.getvalue()


def png_with_raw_iccp(profile: bytes) -> bytes:
    """A PNG whose iCCP chunk is written by hand, as an attacker would, whatever it holds."""
    plain = with_profile("PNG", b"")
    chunk_data = b"junk\x00\x00" + zlib.compress(profile)
    chunk = (
        len(chunk_data).to_bytes(4, "big")
        + b"iCCP"
        + chunk_data
        + zlib.crc32(b"iCCP" + chunk_data).to_bytes(4, "big")
    )
    return plain[:33] + chunk + plain[33:]  # after the 8-byte signature and the IHDR chunk


def upload(client, name: str, data: bytes) -> Photo:
    post = {
        "image": SimpleUploadedFile(name, data, "image/png"),
        "caption": "Colours",
        "alt_text": "A blue rectangle",
        "photographer": "",
        "agency": "",
        "usage_terms": "",
        "rights_expire_on": "",
    }
    assert client.post(ADD_URL, post).status_code == 302
    return Photo.objects.latest("pk")


def stored(photo) -> tuple[bytes | None, bytes]:
    with open(photo.image.path, "rb") as file:
        data = file.read()
    with Image.open(io.BytesIO(data)) as image:
        return image.info.get("icc_profile"), data


def test_a_png_whose_colour_profile_is_junk_is_stored_without_it(editor_client):
    original = png_with_raw_iccp(PAYLOAD)
    with Image.open(io.BytesIO(original)) as image:
        assert image.info["icc_profile"] == PAYLOAD  # Pillow reads it, as it would carry it

    profile, data = stored(upload(editor_client, "junk.png", original))

    assert profile is None
    assert PAYLOAD not in data and zlib.compress(PAYLOAD) not in data


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_a_real_profile_with_bytes_appended_is_dropped(editor_client, fmt):
    photo = upload(editor_client, f"appended.{fmt.lower()}", with_profile(fmt, SRGB + PAYLOAD))
    profile, data = stored(photo)
    assert profile is None
    assert b"carried through" not in data


def test_a_profile_bigger_than_real_ones_is_dropped(editor_client):
    padded = SRGB + b"\x00" * MAX_ICC_PROFILE_BYTES
    big = len(padded).to_bytes(4, "big") + padded[4:]  # declared size matches: still too big
    profile, _ = stored(upload(editor_client, "big.png", with_profile("PNG", big)))
    assert profile is None


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_a_real_colour_profile_is_kept(editor_client, fmt):
    profile, _ = stored(upload(editor_client, f"srgb.{fmt.lower()}", with_profile(fmt, SRGB)))
    assert profile == SRGB


def test_a_real_profile_of_another_colour_space_than_the_pixels_is_dropped(editor_client):
    # As a CMYK JPEG's profile would be on its RGB copy: every viewer would misread the colours.
    lab = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    profile, _ = stored(upload(editor_client, "lab.jpg", with_profile("JPEG", lab)))
    assert profile is None
