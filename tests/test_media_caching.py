"""Photos served by the app: renditions are named after their content and kept for a year."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from tests.factories import make_article, make_photo

pytestmark = pytest.mark.django_db

YEAR_IMMUTABLE = "public, max-age=31536000, immutable"


def test_renditions_may_be_kept_for_a_year_without_asking_again(client):
    photo = make_photo()

    for fmt in ("jpeg", "webp"):
        rendition = photo.rendition_set(fmt)[0]
        response = client.get(rendition["url"])
        assert response.status_code == 200
        assert response["Cache-Control"] == YEAR_IMMUTABLE
        assert response["Content-Type"] == f"image/{fmt}"


def test_a_changed_photo_gets_renditions_at_new_addresses(client):
    photo = make_photo()
    before = {item["url"] for item in photo.rendition_set("jpeg")}

    out = io.BytesIO()
    Image.new("RGB", (900, 600), (250, 200, 0)).save(out, "JPEG")
    photo.image.save("replacement.jpg", ContentFile(out.getvalue()))
    photo.refresh_from_db()
    after = {item["url"] for item in photo.rendition_set("jpeg")}

    assert after and before.isdisjoint(after)
    assert all(client.get(url).status_code == 404 for url in before)


def test_originals_are_reused_briefly_and_missing_files_are_not_cached(client):
    photo = make_photo()
    make_article(lead_photo=photo)

    original = client.get(photo.lasting_original()["url"])
    missing = client.get("/media/renditions/999/nothing-320.jpg")

    assert original.status_code == 200
    assert original["Cache-Control"] == "public, max-age=300"
    assert missing.status_code == 404
    assert "immutable" not in missing.get("Cache-Control", "")


def test_a_repeat_request_for_a_rendition_answers_not_modified_with_the_same_policy(client):
    rendition = make_photo().rendition_set("jpeg")[0]
    first = client.get(rendition["url"])

    again = client.get(rendition["url"], headers={"if-modified-since": first["Last-Modified"]})

    assert again.status_code == 304
    assert again["Cache-Control"] == YEAR_IMMUTABLE
