"""Pages, feeds and sitemaps go out gzip-compressed to clients that ask; the admin and photos never."""

import gzip

import pytest
from django.urls import reverse

from tests.factories import make_article, make_photo

pytestmark = pytest.mark.django_db

GZIP = {"accept-encoding": "gzip, deflate, br"}


def test_reader_pages_feeds_and_sitemaps_are_compressed_for_clients_that_ask(client):
    story = make_article(headline="Harbour reopens after the storm")

    for url in [
        "/",
        story.get_absolute_url(),
        story.section.get_absolute_url(),
        "/search/?q=harbour",
        "/feed/",
        "/sitemap.xml",
    ]:
        response = client.get(url, headers=GZIP)
        assert response.status_code == 200, url
        assert response["Content-Encoding"] == "gzip", url
        assert "Accept-Encoding" in response["Vary"], url
        body = gzip.decompress(response.content)
        assert int(response["Content-Length"]) == len(response.content) < len(body), url

    page = gzip.decompress(client.get(story.get_absolute_url(), headers=GZIP).content).decode()
    assert "Harbour reopens after the storm" in page


def test_clients_that_do_not_ask_get_plain_pages_and_caches_are_told_why(client):
    make_article()

    response = client.get("/")

    assert "Content-Encoding" not in response
    assert "Accept-Encoding" in response["Vary"]
    assert response.content.startswith(b"<!doctype html>")


def test_a_compressed_article_page_still_answers_not_modified(client):
    story = make_article()
    first = client.get(story.get_absolute_url(), headers=GZIP)

    again = client.get(story.get_absolute_url(), headers={**GZIP, "if-none-match": first["ETag"]})

    assert first["ETag"].startswith('W/"')
    assert again.status_code == 304


def test_the_back_office_is_never_compressed(editor_client):
    response = editor_client.get(reverse("admin:articles_article_changelist"), headers=GZIP)

    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert b"csrfmiddlewaretoken" in response.content


def test_photos_are_sent_as_they_are(client):
    photo = make_photo()
    rendition = photo.rendition_set("jpeg")[0]

    response = client.get(rendition["url"], headers=GZIP)

    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
