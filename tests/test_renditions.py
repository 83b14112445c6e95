import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from articles.models import Photo
from articles.photos import renditions
from tests.factories import make_article, make_photo

pytestmark = pytest.mark.django_db


def photo_from(image: Image.Image, fmt="JPEG", **save_options) -> Photo:
    out = io.BytesIO()
    image.save(out, fmt, **save_options)
    photo = Photo(caption="A photo", alt_text="Something", photographer="Maya Stern")
    photo.image.save(f"upload.{fmt.lower()}", ContentFile(out.getvalue()), save=False)
    photo.save()
    return photo


def opened(item: dict) -> Image.Image:
    with default_storage.open(item["name"]) as stored:
        image = Image.open(stored)
        image.load()
    return image


def test_renditions_come_in_several_widths_and_two_formats():
    photo = photo_from(Image.new("RGB", (2000, 1250), (200, 40, 40)))

    jpeg, webp = photo.rendition_set("jpeg"), photo.rendition_set("webp")

    assert [item["width"] for item in jpeg] == [320, 640, 960, 1280, 1600]
    assert [item["width"] for item in webp] == [320, 640, 960, 1280, 1600]
    assert [item["height"] for item in jpeg] == [200, 400, 600, 800, 1000]
    for item in jpeg:
        assert opened(item).format == "JPEG"
        assert opened(item).size == (item["width"], item["height"])
        assert default_storage.size(item["name"]) == item["bytes"]
    assert opened(webp[0]).format == "WEBP"


def test_small_photos_are_never_upscaled():
    photo = photo_from(Image.new("RGB", (700, 400)))

    assert [item["width"] for item in photo.rendition_set("jpeg")] == [320, 640, 700]
    tiny = photo_from(Image.new("RGB", (200, 100)))
    assert [item["width"] for item in tiny.rendition_set("webp")] == [200]


def test_exif_orientation_is_applied():
    # Stored landscape, but the camera says "rotate 90°": readers must see it upright.
    image = Image.new("RGB", (800, 500), (10, 10, 10))
    exif = Image.Exif()
    exif[0x0112] = 6
    photo = photo_from(image, exif=exif)

    largest = photo.rendition_set("jpeg")[-1]

    assert (largest["width"], largest["height"]) == (500, 800)
    assert opened(largest).size == (500, 800)


def test_transparent_pngs_get_a_white_background():
    image = Image.new("RGBA", (400, 200), (0, 0, 0, 0))
    photo = photo_from(image, "PNG")

    pixel = opened(photo.rendition_set("jpeg")[0]).getpixel((5, 5))

    assert all(channel > 245 for channel in pixel)


def test_a_replaced_image_gets_new_renditions_and_the_old_ones_go():
    photo = make_photo()
    old_names = [item["name"] for item in photo.rendition_set("jpeg")]

    out = io.BytesIO()
    Image.new("RGB", (1000, 1000)).save(out, "JPEG")
    photo.image.save("replacement.jpg", ContentFile(out.getvalue()))

    photo.refresh_from_db()
    assert photo.rendition_set("jpeg")[-1]["height"] == 1000
    assert not any(default_storage.exists(name) for name in old_names)


def test_deleting_a_photo_deletes_its_renditions():
    photo = make_photo()
    names = [item["name"] for item in photo.rendition_set("webp")]

    photo.delete()

    assert names
    assert not any(default_storage.exists(name) for name in names)


def test_pages_use_picture_with_webp_and_a_jpeg_fallback(client):
    story = make_article(lead_photo=make_photo(alt_text="Boats in the harbour"))
    make_article(lead_photo=make_photo())

    html = client.get(story.get_absolute_url()).content.decode()

    assert '<source type="image/webp" srcset="/media/renditions/' in html
    assert "320w, /media/renditions/" in html
    assert 'sizes="(min-width: 60rem) 44rem, 100vw"' in html
    assert 'width="800" height="500" alt="Boats in the harbour"' in html


def test_a_photo_without_renditions_shows_the_original_and_the_page_never_makes_them(client):
    photo = make_photo()
    Photo.objects.filter(pk=photo.pk).update(renditions={})
    story = make_article(lead_photo=photo)

    html = client.get(story.get_absolute_url()).content.decode()

    photo.refresh_from_db()
    assert photo.renditions == {}
    assert f'src="/media/original/{photo.pk}/"' in html  # the lasting address, checked
    assert "/media/renditions/" not in html
    assert client.get(f"/media/original/{photo.pk}/")["Content-Type"] == "image/jpeg"


def test_an_unreadable_file_falls_back_to_the_original(client):
    photo = make_photo()
    Photo.objects.filter(pk=photo.pk).update(renditions={})
    photo.refresh_from_db()
    with default_storage.open(photo.image.name, "wb") as broken:
        broken.write(b"not an image")

    assert renditions.refresh(photo) is False
    story = make_article(lead_photo=photo)
    html = client.get(story.get_absolute_url()).content.decode()
    assert f'src="/media/original/{photo.pk}/"' in html


def test_admin_thumbnails_use_the_renditions(editor_client):
    photo = make_photo()
    thumbnail = photo.rendition_set("jpeg")[0]["url"]

    html = editor_client.get("/admin/articles/photo/").content.decode()

    assert f'src="{thumbnail}"' in html
    assert f'src="{photo.image.url}"' not in html


def test_the_command_fills_in_missing_renditions():
    missing = make_photo()
    done = make_photo()
    Photo.objects.filter(pk=missing.pk).update(renditions={})
    out = io.StringIO()

    call_command("make_renditions", stdout=out)

    missing.refresh_from_db()
    assert missing.rendition_set("jpeg")
    assert "Renditions made for 1 of 2 photos." in out.getvalue()
    call_command("make_renditions", "--force", stdout=out)
    done.refresh_from_db()
    assert "Renditions made for 2 of 2 photos." in out.getvalue()
    assert all(default_storage.exists(item["name"]) for item in done.rendition_set("webp"))
