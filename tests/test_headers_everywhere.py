"""Every response, whatever serves it, carries Permissions-Policy and Cross-Origin-Resource-Policy,
and the back office's policy admits exactly the inline script its editor renders."""

import base64
import hashlib
import re

import pytest
from django.urls import reverse

from tests.factories import make_article, make_photo

pytestmark = pytest.mark.django_db


def urls(story, photo):
    return [
        "/", story.get_absolute_url(), "/search/?q=x", "/feed/", "/robots.txt", "/sitemap.xml",
        "/healthz", "/no/such/page/", "/admin/login/", "/static/css/site.css",
        reverse("admin:articles_article_changelist"),
    ]  # fmt: skip


def test_every_response_carries_permissions_policy_and_corp(editor_client):
    story = make_article(lead_photo=make_photo())
    for url in urls(story, story.lead_photo):
        response = editor_client.get(url)
        assert "camera=()" in response["Permissions-Policy"], url
        assert "geolocation=()" in response["Permissions-Policy"], url
        assert response["Cross-Origin-Resource-Policy"] == "same-origin", url


def test_every_inline_script_of_the_article_form_is_allowed_by_its_hash(editor_client):
    story = make_article()
    for url in (
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[story.pk]),
    ):
        response = editor_client.get(url)
        html = response.content.decode()
        inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", html, re.S)
        executable = [body for attrs, body in inline if "application/json" not in attrs]
        assert executable, "the editor's import map is inline"
        for body in executable:
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in response["Content-Security-Policy"]


def test_photos_may_be_shown_by_other_sites(client):
    response = client.get("/media/photos/any.jpg")
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
