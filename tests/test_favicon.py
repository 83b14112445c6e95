"""/favicon.ico answers with the site's icon, which browsers and feed readers may keep."""

import io

import pytest
from PIL import Image

from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_favicon_answers_with_a_real_icon_that_may_be_cached(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response["Cache-Control"] == "public, max-age=86400"
    assert not response.cookies
    icon = Image.open(io.BytesIO(response.content))
    assert icon.format == "ICO"
    assert (32, 32) in icon.info["sizes"]


def test_pages_link_the_versioned_icon(client):
    make_article()

    assert b'<link rel="icon" href="/static/favicon.ico">' in client.get("/").content
