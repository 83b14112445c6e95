"""Originals of photos are not public at their guessable storage address (/media/photos/<year>/
<month>/<name>) under local-disk storage: readers get the checked lasting address, which sends
the file only for photos a published story shows, and staff get theirs through the back office
(issue 19, finding 18)."""

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Photo
from tests.factories import make_article, make_photo

pytestmark = pytest.mark.django_db


def storage_address(photo) -> str:
    return photo.image.url


def lasting(photo) -> str:
    return f"/media/original/{photo.pk}/"


def staff_address(photo) -> str:
    return reverse("admin:articles_photo_original", args=[photo.pk])


def file_bytes(photo) -> bytes:
    with default_storage.open(photo.image.name, "rb") as stored:
        return stored.read()


def test_no_original_answers_at_its_storage_address_and_renditions_still_do(client):
    photo = make_photo()
    make_article(lead_photo=photo)  # even a published story's
    assert storage_address(photo).startswith("/media/photos/")

    for address in (
        storage_address(photo),
        storage_address(photo).replace("/media/", "/media/renditions/../"),
        storage_address(photo).replace("/media/", "/media//"),
        storage_address(photo).replace("/media/", "/media/./"),
    ):
        assert client.get(address).status_code == 404, address
    rendition = client.get(photo.rendition_set("jpeg")[0]["url"])
    assert rendition.status_code == 200 and rendition["Content-Type"] == "image/jpeg"


def test_a_drafts_a_scheduled_storys_and_an_unused_photo_are_not_found_at_the_lasting_address(
    client,
):
    drafts, scheduled, unused = make_photo(), make_photo(), make_photo()
    make_article(status=Article.Status.DRAFT, lead_photo=drafts)
    make_article(published_at=timezone.now() + timezone.timedelta(hours=2), lead_photo=scheduled)

    for photo in (drafts, scheduled, unused):
        assert client.get(lasting(photo)).status_code == 404


@pytest.mark.parametrize("use", ["lead_photo", "social_image"])
def test_the_original_of_a_photo_a_published_story_shows_is_sent_at_the_lasting_address(
    client, django_assert_num_queries, use
):
    photo = make_photo()
    story = make_article(**{use: photo})

    # 1: the published stories showing the photo; 2: the photo's file name.
    with django_assert_num_queries(2):
        response = client.get(lasting(photo))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == file_bytes(photo)
    assert response["Cache-Control"] == "public, max-age=300"
    # Taking the story down purges this answer from shared caches too.
    assert f"story-{story.pk}" in response["xkey"].split()
    assert photo.lasting_original()["url"] == lasting(photo)
    assert client.post(lasting(photo)).status_code == 405


def test_taking_the_story_down_makes_its_photo_private_again(client, editor):
    photo = make_photo()
    story = make_article(lead_photo=photo)
    assert client.get(lasting(photo)).status_code == 200

    story.unpublish(by=editor)

    assert client.get(lasting(photo)).status_code == 404


@pytest.mark.parametrize(
    "role, want",
    [
        ("anonymous", 302),
        ("moderator", 403),
        ("reporter", 200),
        ("editor", 200),
        ("superuser", 200),
    ],
)
def test_staff_who_see_the_photo_library_get_any_original_through_the_back_office(
    role, want, reporter, editor, moderator, django_user_model
):
    photo = make_photo()
    make_article(status=Article.Status.DRAFT, lead_photo=photo)
    client = Client()
    people = {"reporter": reporter, "editor": editor, "moderator": moderator}
    if role == "superuser":
        people[role] = django_user_model.objects.create_superuser("root", "root@example.com", "x")
    if role != "anonymous":
        client.force_login(people[role])

    response = client.get(staff_address(photo))

    assert response.status_code == want
    if want == 200:
        assert b"".join(response.streaming_content) == file_bytes(photo)
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_back_office_links_originals_at_its_own_address(editor_client):
    photo = make_photo()
    Photo.objects.filter(pk=photo.pk).update(renditions={})  # the preview shows the original

    html = editor_client.get(reverse("admin:articles_photo_change", args=[photo.pk])).text

    assert f'href="{staff_address(photo)}"' in html  # "Currently:" the stored file
    assert f'src="{staff_address(photo)}"' in html  # the focal point preview
    assert storage_address(photo) not in html


def test_the_original_of_a_photo_shown_only_inside_a_published_storys_blocks_is_sent(client):
    photo = make_photo()
    story = make_article()
    story.blocks = [
        {"type": "text", "html": "<p>The talks resumed.</p>"},
        {"type": "photo", "photo": photo.pk, "caption": "At the table", "size": "column"},
    ]
    story.save()

    response = client.get(lasting(photo))

    assert response.status_code == 200
    assert f"story-{story.pk}" in response["xkey"].split()
    assert b"".join(response.streaming_content) == file_bytes(photo)
