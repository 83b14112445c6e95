"""Photos on object storage (MEDIA_STORAGE=s3) against a local S3 server (moto in server mode):
uploads, renditions and deletion go to the bucket, pages link renditions at the public host,
and originals are never public."""

import itertools
import os
import subprocess
import sys

import boto3
import pytest
from django.core.files.storage import default_storage

from articles.models import Article, Photo
from deploy.services import REPO, MotoS3, http_status

from .factories import make_article, make_photo

pytestmark = pytest.mark.django_db

PUBLIC_HOST = "media.news.example"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
_buckets = itertools.count(1)


@pytest.fixture(scope="module")
def s3_server(tmp_path_factory):
    server = MotoS3(tmp_path_factory.mktemp("moto")).start()
    yield server
    server.stop()


@pytest.fixture
def bucket(s3_server, settings):
    name = f"newsroom-media-{next(_buckets)}"
    credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    client = boto3.client("s3", endpoint_url=s3_server.url, region_name="us-east-1", **credentials)
    client.create_bucket(Bucket=name)
    # What settings.py makes of MEDIA_STORAGE=s3 and the AWS_* variables.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "newsroom.storage.MediaStorage"},
    }
    settings.AWS_STORAGE_BUCKET_NAME = name
    settings.AWS_S3_ENDPOINT_URL = s3_server.url
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_S3_ADDRESSING_STYLE = "path"
    settings.AWS_S3_CUSTOM_DOMAIN = PUBLIC_HOST
    settings.AWS_ACCESS_KEY_ID = credentials["aws_access_key_id"]
    settings.AWS_SECRET_ACCESS_KEY = credentials["aws_secret_access_key"]
    settings.AWS_S3_FILE_OVERWRITE = False
    settings.NEWSROOM_MEDIA_ORIGIN = f"https://{PUBLIC_HOST}"
    return client, name


def keys(bucket) -> set[str]:
    client, name = bucket
    return {item["Key"] for item in client.list_objects_v2(Bucket=name).get("Contents", [])}


def anonymous_status(s3_server, bucket, key: str) -> int:
    return http_status(f"{s3_server.url}/{bucket[1]}/{key}")


def public_grant(bucket, key: str) -> bool:
    client, name = bucket
    grants = client.get_object_acl(Bucket=name, Key=key)["Grants"]
    return any(grant["Grantee"].get("URI") == ALL_USERS for grant in grants)


def test_an_upload_and_its_renditions_go_to_the_bucket_and_only_renditions_are_public(
    s3_server, bucket
):
    photo = make_photo()
    renditions = [item["name"] for fmt in ("jpeg", "webp") for item in photo.rendition_set(fmt)]
    renditions += [crop["name"] for crop in photo.renditions["crops"].values()]
    assert photo.image.name.startswith("photos/")
    assert keys(bucket) == {photo.image.name, *renditions}
    assert not public_grant(bucket, photo.image.name)
    assert anonymous_status(s3_server, bucket, photo.image.name) == 403
    for name in renditions:
        assert public_grant(bucket, name)
        assert anonymous_status(s3_server, bucket, name) == 200


def test_pages_link_renditions_at_the_public_host_and_never_the_original(client, bucket):
    photo = make_photo()
    story = make_article(lead_photo=photo)
    response = client.get(story.get_absolute_url())
    html = response.content.decode()
    assert f"https://{PUBLIC_HOST}/renditions/{photo.pk}/" in html
    assert f"img-src 'self' data: https://{PUBLIC_HOST};" in response["Content-Security-Policy"]
    assert photo.image.name not in html
    home = client.get("/").content.decode()
    assert f"https://{PUBLIC_HOST}/renditions/" in home and photo.image.name not in home


def test_a_photo_without_renditions_is_linked_at_a_lasting_address_that_signs_afresh(
    client, s3_server, bucket
):
    # Its renditions could not be made: pages fall back to the original, which is private.
    photo = make_photo()
    Photo.objects.filter(pk=photo.pk).update(renditions={})
    story = make_article(lead_photo=photo)
    lasting = f"/media/original/{photo.pk}/"

    page = client.get(story.get_absolute_url()).content.decode()
    feed = client.get("/feed/").content.decode()

    for shown in (page, feed):
        assert lasting in shown
        assert photo.image.name not in shown and "Signature=" not in shown
    # Each visit is sent on to a newly signed address, which the bucket answers.
    response = client.get(lasting)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{s3_server.url}/{bucket[1]}/photos/")
    assert "Signature=" in response["Location"]
    assert http_status(response["Location"]) == 200
    # Kept by browsers for less time than the signature lasts.
    max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert "public" in response["Cache-Control"]
    assert 0 < max_age < default_storage.querystring_expire


def test_the_lasting_address_shows_only_photos_of_published_stories(client, bucket):
    draft_photo, unused_photo, social_photo = make_photo(), make_photo(), make_photo()
    make_article(lead_photo=draft_photo, status=Article.Status.DRAFT)
    make_article(social_image=social_photo)

    assert client.get(f"/media/original/{draft_photo.pk}/").status_code == 404
    assert client.get(f"/media/original/{unused_photo.pk}/").status_code == 404
    assert client.get(f"/media/original/{social_photo.pk}/").status_code == 302
    assert client.post(f"/media/original/{social_photo.pk}/").status_code == 405


def test_the_original_has_only_a_short_lived_signed_address_at_the_bucket(s3_server, bucket):
    photo = make_photo()
    url = photo.image.url
    assert url.startswith(f"{s3_server.url}/{bucket[1]}/photos/")
    assert "Signature=" in url and "Expires=" in url
    assert PUBLIC_HOST not in url
    assert http_status(url) == 200


def test_deleting_a_photo_deletes_its_files_from_the_bucket(
    bucket, django_capture_on_commit_callbacks
):
    photo = make_photo()
    original = photo.image.name
    assert original in keys(bucket)
    with django_capture_on_commit_callbacks(execute=True):  # the original goes once committed
        photo.delete()
    assert keys(bucket) == set()
    assert not default_storage.exists(original)


def test_the_environment_switches_media_to_the_bucket():
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MEDIA_"))},
        "DJANGO_DEBUG": "1",
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": "newsroom-media",
        "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9",
        "AWS_S3_CUSTOM_DOMAIN": PUBLIC_HOST,
        "AWS_ACCESS_KEY_ID": "key",
        "AWS_SECRET_ACCESS_KEY": "secret",
    }
    script = (
        "from django.conf import settings; from django.core.files.storage import storages;"
        "media = storages['default'];"
        "print(type(media).__name__, media.bucket_name, media.url('renditions/1/a-320.jpg'),"
        " settings.SERVE_MEDIA)"
    )
    run = [sys.executable, "manage.py", "shell", "-v", "0", "-c", script]
    result = subprocess.run(run, cwd=REPO, env=env, capture_output=True, text=True)
    assert result.stdout.split() == [
        "MediaStorage",
        "newsroom-media",
        f"https://{PUBLIC_HOST}/renditions/1/a-320.jpg",
        "False",
    ], result.stderr
    del env["AWS_STORAGE_BUCKET_NAME"]
    result = subprocess.run(run, cwd=REPO, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME." in result.stderr
