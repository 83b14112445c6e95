"""Photos arrive through the admin form: verified by Pillow from content, re-encoded, credited."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.models import Photo
from tests.factories import image_bytes

ADD_URL = reverse("admin:articles_photo_add")

pytestmark = pytest.mark.django_db


def photo_post(file, **fields):
    return {
        "image": file,
        "caption": "Antony Blinken",
        "alt_text": "Antony Blinken at a lectern",
        "photographer": "Alexandros Michailidis",
        "agency": "Shutterstock",
        "usage_terms": "",
        "rights_expire_on": "",
        **fields,
    }


def test_a_jpeg_upload_is_stored_with_its_size_and_credit(editor_client):
    file = SimpleUploadedFile("Blinken Visit.JPG", image_bytes("JPEG", (1200, 800)), "image/jpeg")

    response = editor_client.post(ADD_URL, photo_post(file))

    assert response.status_code == 302
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (1200, 800)
    assert photo.image.name.endswith(".jpg")
    assert photo.credit == "Photo: Alexandros Michailidis / Shutterstock"
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG"


@pytest.mark.parametrize("fmt, ext", [("PNG", "png"), ("WEBP", "webp")])
def test_png_and_webp_uploads_are_accepted(editor_client, fmt, ext):
    file = SimpleUploadedFile(f"graphic.{ext}", image_bytes(fmt, (300, 200)), f"image/{ext}")

    assert editor_client.post(ADD_URL, photo_post(file)).status_code == 302
    with Image.open(Photo.objects.get().image.path) as stored:
        assert stored.format == fmt


def test_a_text_file_named_like_a_photo_is_refused(editor_client):
    file = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")

    response = editor_client.post(ADD_URL, photo_post(file))

    assert response.status_code == 200
    assert "This file is not a JPEG, PNG or WebP image" in response.content.decode()
    assert not Photo.objects.exists()


def test_a_gif_is_refused_even_though_pillow_can_read_it(editor_client):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    file = SimpleUploadedFile("anim.gif", out.getvalue(), "image/gif")

    response = editor_client.post(ADD_URL, photo_post(file))

    assert "This file is not a JPEG, PNG or WebP image" in response.content.decode()
    assert not Photo.objects.exists()


def test_a_decompression_bomb_is_refused(editor_client):
    # A tiny PNG that declares 10,000 × 10,000 pixels: 100 megapixels once decoded.
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")
    assert len(out.getvalue()) < 200_000
    file = SimpleUploadedFile("bomb.png", out.getvalue(), "image/png")

    response = editor_client.post(ADD_URL, photo_post(file))

    assert response.status_code == 200
    assert "decompression bomb" in response.content.decode()
    assert not Photo.objects.exists()


def test_an_image_over_the_pixel_limit_is_refused(editor_client, settings):
    settings.PHOTO_MAX_PIXELS = 100 * 100
    file = SimpleUploadedFile("big.png", image_bytes("PNG", (200, 200)), "image/png")

    response = editor_client.post(ADD_URL, photo_post(file))

    assert "the limit is" in response.content.decode()
    assert not Photo.objects.exists()


def test_a_file_over_the_byte_limit_is_refused(editor_client, settings):
    settings.PHOTO_MAX_BYTES = 1000
    file = SimpleUploadedFile("photo.jpg", image_bytes("JPEG", (800, 800)), "image/jpeg")

    response = editor_client.post(ADD_URL, photo_post(file))

    assert "photos may be at most" in response.content.decode()
    assert not Photo.objects.exists()


def test_html_appended_to_a_png_is_dropped_by_re_encoding(editor_client):
    payload = b"<script>alert('owned')</script>"
    file = SimpleUploadedFile("polyglot.png", image_bytes("PNG", (50, 50)) + payload, "image/png")

    assert editor_client.post(ADD_URL, photo_post(file)).status_code == 302
    with open(Photo.objects.get().image.path, "rb") as stored:
        assert payload not in stored.read()


def test_exif_orientation_is_applied_and_metadata_dropped(editor_client):
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90° clockwise: a portrait photo stored landscape
    exif[0x010F] = "SecretCam"
    out = io.BytesIO()
    Image.new("RGB", (400, 200), (200, 10, 10)).save(out, "JPEG", exif=exif)
    file = SimpleUploadedFile("portrait.jpg", out.getvalue(), "image/jpeg")

    assert editor_client.post(ADD_URL, photo_post(file)).status_code == 302
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (200, 400)
    with Image.open(photo.image.path) as stored:
        assert not stored.getexif()


def test_photo_admin_lists_thumbnails_and_credits_and_searches_by_agency(editor_client):
    file = SimpleUploadedFile("a.jpg", image_bytes(), "image/jpeg")
    editor_client.post(ADD_URL, photo_post(file))
    editor_client.post(
        ADD_URL,
        photo_post(
            SimpleUploadedFile("b.jpg", image_bytes(), "image/jpeg"),
            agency="Reuters",
            caption="Harbour",
        ),
    )

    response = editor_client.get(reverse("admin:articles_photo_changelist"), {"q": "shutterstock"})

    assert [photo.agency for photo in response.context["cl"].result_list] == ["Shutterstock"]
    page = response.content.decode()
    assert "Photo: Alexandros Michailidis / Shutterstock" in page
    assert '<img src="/media/renditions/' in page
