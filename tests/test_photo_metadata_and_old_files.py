"""No metadata segment survives into a stored photo or its renditions, and a replaced or deleted
photo's files leave the public media folder."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin

from articles.models import Photo

pytestmark = pytest.mark.django_db

SECRET = b"SECRET-SOURCE-Jerusalem-desk"


def photo_post(file, **fields):
    return {
        "image": file,
        "caption": "A caption",
        "alt_text": "An alt text",
        "photographer": "Someone",
        "agency": "",
        "usage_terms": "",
        "rights_expire_on": "",
        **fields,
    }


def jpeg_with_metadata() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1000, 600), (10, 120, 60)).save(
        out, "JPEG", comment=SECRET, xmp=b"<x:xmpmeta>" + SECRET + b"</x:xmpmeta>"
    )
    return out.getvalue()


def png_with_metadata() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET.decode())
    info.add_itxt("XML:com.adobe.xmp", SECRET.decode())
    out = io.BytesIO()
    Image.new("RGB", (700, 500), (10, 120, 60)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def every_stored_file(photo) -> list[str]:
    names = [photo.image.name]
    for key in ("jpeg", "webp"):
        names += [item["name"] for item in photo.renditions[key]]
    return names


@pytest.mark.parametrize(
    ("name", "data"), [("a.jpg", jpeg_with_metadata()), ("a.png", png_with_metadata())]
)
def test_comments_and_xmp_are_stripped_from_the_original_and_every_rendition(
    editor_client, name, data
):
    assert SECRET in data
    response = editor_client.post(reverse("admin:articles_photo_add"), photo_post(
        SimpleUploadedFile(name, data, "image/jpeg")
    ))  # fmt: skip
    assert response.status_code == 302
    photo = Photo.objects.get()

    for stored in every_stored_file(photo):
        with default_storage.open(stored) as file:
            content = file.read()
        assert SECRET not in content, stored
        with Image.open(io.BytesIO(content)) as image:
            assert "comment" not in image.info
            assert "xmp" not in image.info


def test_a_replaced_photos_original_and_renditions_are_deleted(
    editor_client, django_capture_on_commit_callbacks
):
    editor_client.post(
        reverse("admin:articles_photo_add"),
        photo_post(SimpleUploadedFile("first.jpg", jpeg_with_metadata(), "image/jpeg")),
    )
    photo = Photo.objects.get()
    old_files = every_stored_file(photo)

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:articles_photo_change", args=[photo.pk]),
            photo_post(SimpleUploadedFile("second.jpg", jpeg_with_metadata(), "image/jpeg")),
        )

    assert response.status_code == 302
    photo.refresh_from_db()
    assert "second" in photo.image.name
    for name in old_files:
        assert not default_storage.exists(name), name
    assert default_storage.exists(photo.image.name)


def test_a_deleted_photos_original_is_deleted(editor_client, django_capture_on_commit_callbacks):
    editor_client.post(
        reverse("admin:articles_photo_add"),
        photo_post(SimpleUploadedFile("gone.jpg", jpeg_with_metadata(), "image/jpeg")),
    )
    photo = Photo.objects.get()
    files = every_stored_file(photo)

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse("admin:articles_photo_delete", args=[photo.pk]), {"post": "yes"})

    assert not Photo.objects.exists()
    for name in files:
        assert not default_storage.exists(name), name
