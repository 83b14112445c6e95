"""Reader pages allow only our own script and the embed players' frames; the back office allows only its own."""

import pytest
from django.urls import reverse

from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_reader_pages_allow_only_our_own_scripts_and_embed_players(client):
    story = make_article()
    for url in ["/", story.get_absolute_url(), "/search/?q=x", "/feed/"]:
        policy = client.get(url)["Content-Security-Policy"]
        # Our embeds.js only: no inline script, nothing from another origin.
        assert "script-src 'self';" in policy, url
        frames = policy.split("frame-src ")[1].split(";")[0].split()
        assert "https://www.youtube-nocookie.com" in frames, url
        assert all(origin.startswith("https://") for origin in frames), url
        assert "default-src 'self'" in policy, url
        assert "frame-ancestors 'none'" in policy, url


def test_the_back_office_allows_only_its_own_scripts_and_the_editors_import_map(editor_client):
    response = editor_client.get(reverse("admin:articles_article_add"))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "object-src 'none'" in policy
    assert '<script type="importmap"' in response.content.decode()


def test_reader_pages_also_refuse_framing_and_sniffing(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
