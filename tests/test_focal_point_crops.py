"""Crops made around each photo's focal point, when the photo is saved."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image, ImageDraw

from articles.models import Photo
from articles.photos import renditions
from tests.factories import make_photo, upload

pytestmark = pytest.mark.django_db

RED, WHITE = (220, 20, 20), (255, 255, 255)


def corner_subject_photo(**fields) -> Photo:
    """3000×1500, white, with the subject (a red square 300 px across) in the bottom-right corner."""
    image = Image.new("RGB", (3000, 1500), WHITE)
    ImageDraw.Draw(image).rectangle([2700, 1200, 2999, 1499], fill=RED)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    photo = Photo(caption="Corner", alt_text="A red square", photographer="Maya Stern", **fields)
    photo.image.save("corner.jpg", ContentFile(out.getvalue()), save=False)
    photo.save()
    return photo


def opened(item: dict) -> Image.Image:
    with default_storage.open(item["name"]) as stored:
        image = Image.open(stored)
        image.load()
    return image.convert("RGB")


def is_red(pixel) -> bool:
    r, g, b = pixel
    return r > 180 and g < 80 and b < 80


def test_every_crop_keeps_a_focal_point_in_the_corner_in_frame():
    # The subject's centre: 2850 of 3000 across, 1350 of 1500 down.
    photo = corner_subject_photo(focal_x=95, focal_y=90)

    crops = photo.crops()

    assert list(crops) == ["16x9", "4x3", "1x1"]
    for ratio, item in crops.items():
        image = opened(item)
        # Pushed against the bottom-right edges, the crop ends where the photo does: the
        # subject fills its bottom-right corner.
        assert is_red(image.getpixel((image.width - 20, image.height - 20))), ratio
        assert not is_red(image.getpixel((20, 20))), ratio


def test_without_a_focal_point_a_centred_crop_misses_the_corner_subject():
    photo = corner_subject_photo()  # focal point at the centre, the default

    square = opened(photo.crops()["1x1"])

    assert not is_red(square.getpixel((square.width - 20, square.height - 20)))


def test_crops_have_exact_ratios_at_1200_px_wide():
    photo = corner_subject_photo(focal_x=95, focal_y=90)

    sizes = {ratio: (item["width"], item["height"]) for ratio, item in photo.crops().items()}

    assert sizes == {"16x9": (1200, 675), "4x3": (1200, 900), "1x1": (1200, 1200)}
    for ratio, item in photo.crops().items():
        assert opened(item).size == sizes[ratio]


def test_crops_of_a_small_photo_are_never_upscaled():
    photo = make_photo()  # 800×500

    sizes = {ratio: (item["width"], item["height"]) for ratio, item in photo.crops().items()}

    assert sizes == {"16x9": (800, 450), "4x3": (667, 500), "1x1": (500, 500)}


def test_the_crop_box_always_holds_the_focal_point():
    for size in [(3000, 1500), (1500, 3000), (1000, 1000), (801, 499)]:
        for ratio in renditions.CROP_RATIOS.values():
            for focus in [(0, 0), (1, 1), (0.5, 0.5), (0.97, 0.03), (0.2, 0.8)]:
                left, top, right, bottom = renditions.crop_box(size, ratio, focus)
                assert 0 <= left <= focus[0] * size[0] <= right <= size[0]
                assert 0 <= top <= focus[1] * size[1] <= bottom <= size[1]
                assert (right - left) / (bottom - top) == pytest.approx(ratio[0] / ratio[1], 0.01)


def test_moving_the_focal_point_remakes_only_the_crops_under_new_names():
    photo = corner_subject_photo()
    before = photo.renditions
    old_crops = [item["name"] for item in before["crops"].values()]

    photo.focal_x, photo.focal_y = 95, 90
    photo.save()
    photo.refresh_from_db()

    assert photo.renditions["jpeg"] == before["jpeg"]
    assert photo.renditions["webp"] == before["webp"]
    new_crops = [item["name"] for item in photo.renditions["crops"].values()]
    assert not set(new_crops) & set(old_crops)
    assert all(default_storage.exists(name) for name in new_crops)
    assert not any(default_storage.exists(name) for name in old_crops)
    square = opened(photo.crops()["1x1"])
    assert is_red(square.getpixel((square.width - 20, square.height - 20)))


def test_an_editor_sets_the_focal_point_in_the_photo_admin(editor_client):
    photo = corner_subject_photo()
    url = f"/admin/articles/photo/{photo.pk}/change/"

    form = editor_client.get(url).content.decode()
    assert 'type="number" name="focal_x" value="50.0"' in form
    assert 'min="0"' in form and 'max="100"' in form
    assert 'class="focal-point"' in form

    response = editor_client.post(
        url,
        {
            "caption": "Corner",
            "alt_text": "A red square",
            "photographer": "Maya Stern",
            "agency": "",
            "usage_terms": "",
            "rights_expire_on": "",
            "focal_x": "95",
            "focal_y": "90",
        },
    )

    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.focal_x, photo.focal_y) == (95, 90)
    square = opened(photo.crops()["1x1"])
    assert is_red(square.getpixel((square.width - 20, square.height - 20)))


def test_a_focal_point_outside_the_photo_is_refused_with_a_clear_error(editor_client):
    response = editor_client.post(
        "/admin/articles/photo/add/",
        {
            "image": upload(),
            "caption": "A photo",
            "alt_text": "Something",
            "photographer": "Maya Stern",
            "focal_x": "120",
            "focal_y": "50",
        },
    )

    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 100." in response.content.decode()
    assert not Photo.objects.exists()


def test_the_command_makes_the_crops_of_photos_from_before_focal_points():
    photo = corner_subject_photo()
    # As stored before this release: renditions, but no focal point and no crops.
    listing = {
        key: value for key, value in photo.renditions.items() if key not in ("focus", "crops")
    }
    Photo.objects.filter(pk=photo.pk).update(renditions=listing)
    photo.refresh_from_db()
    assert photo.crops() == {}

    call_command("make_renditions", stdout=io.StringIO())

    photo.refresh_from_db()
    assert list(photo.crops()) == ["16x9", "4x3", "1x1"]
    assert photo.renditions["jpeg"] == listing["jpeg"]
