"""Photos with a side or a shape no news photo has are refused at upload, and renditions are
never made (nor retried) while a reader's page renders."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.models import Photo
from articles.photos import renditions
from tests.factories import make_article

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_photo_add")


def png(size) -> bytes:
    out = io.BytesIO()
    Image.new("1", size).save(out, "PNG", optimize=True)
    return out.getvalue()


def photo_post(data: bytes) -> dict:
    return {
        "image": SimpleUploadedFile("strip.png", data, "image/png"),
        "caption": "A strip",
        "alt_text": "A strip",
        "photographer": "Someone",
        "agency": "",
        "usage_terms": "",
        "rights_expire_on": "",
    }


@pytest.mark.parametrize("size", [(39_000_000, 1), (1, 39_000_000)])
def test_a_strip_one_pixel_wide_is_refused_with_a_clear_error(editor_client, size):
    data = png(size)
    assert len(data) < 100_000  # kilobytes, under every byte and pixel limit

    response = editor_client.post(ADD_URL, photo_post(data))

    assert response.status_code == 200
    assert "no side may be longer than 12000 pixels" in response.content.decode()
    assert not Photo.objects.exists()


def test_a_photo_far_wider_than_tall_is_refused_with_a_clear_error(editor_client):
    response = editor_client.post(ADD_URL, photo_post(png((9000, 1000))))

    assert "one side may be at most 8 times the other" in response.content.decode()
    assert not Photo.objects.exists()


def test_a_panorama_within_the_limits_is_accepted(editor_client):
    response = editor_client.post(ADD_URL, photo_post(png((4000, 1000))))

    assert response.status_code == 302
    assert Photo.objects.get().rendition_set("jpeg")


def test_a_stored_strip_gets_no_renditions_and_pages_show_the_original_at_once(client):
    # A file stored before the limits existed: renditions refuse it before decoding it, and the
    # pages that show it never try.
    photo = Photo(caption="Old strip", alt_text="Old strip", photographer="Someone")
    photo.image.save("strip.png", ContentFile(png((1, 39_000_000))), save=False)
    photo.save()
    assert renditions.refresh(photo) is False
    story = make_article(lead_photo=photo)

    for url in ("/", story.get_absolute_url(), "/?again=1"):
        html = client.get(url).content.decode()
        assert f'src="/media/original/{photo.pk}/"' in html
    photo.refresh_from_db()
    assert photo.renditions == {}
