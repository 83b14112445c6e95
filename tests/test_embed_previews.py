"""A video's title and thumbnail from its provider's oEmbed endpoint: asked once the story is
saved and committed, never while a page renders; the thumbnail kept in our storage; named by the
story's VideoObject. The provider here is a server on loopback (NEWSROOM_OEMBED_ENDPOINTS)."""

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from articles.models import EmbedPreview
from articles.public.invalidation import change_keys
from tests.factories import image_bytes, make_article

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


@pytest.fixture
def provider(settings):
    """A stand-in for YouTube's oEmbed endpoint and its thumbnail host, recording each request."""
    asked = []
    answers = {"status": 200}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            base = f"http://127.0.0.1:{self.server.server_port}"
            if self.path.startswith("/oembed?"):
                body = json.dumps(
                    {
                        "type": "video",
                        "title": "  Never Gonna\nGive You Up ",
                        "thumbnail_url": f"{base}/thumbnail.jpg",
                    }
                ).encode()
            else:
                body = image_bytes(size=(480, 360))
            self.send_response(answers["status"])
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.NEWSROOM_EMBED_PREVIEWS = True
    settings.NEWSROOM_OEMBED_ENDPOINTS = {
        "youtube": f"http://127.0.0.1:{server.server_port}/oembed"
    }
    yield asked, answers
    server.shutdown()
    server.server_close()


def video_object(story) -> dict:
    page = Client().get(story.get_absolute_url()).content.decode()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    article = next(item for item in map(json.loads, scripts) if item["@type"] == "NewsArticle")
    return article["video"][0]


def test_a_saved_story_asks_the_provider_once_and_keeps_the_thumbnail_in_our_storage(
    provider, django_capture_on_commit_callbacks, settings
):
    asked, _ = provider
    with django_capture_on_commit_callbacks(execute=True):
        story = make_article(blocks=[{"type": "embed", "url": YOUTUBE}])
    assert len(asked) == 2  # after the commit: the oEmbed answer, then the thumbnail
    assert parse_qs(urlsplit(asked[0]).query) == {"url": [YOUTUBE], "format": ["json"]}

    preview = EmbedPreview.objects.get(url=YOUTUBE)
    assert preview.title == "Never Gonna Give You Up"
    assert (preview.width, preview.height) == (480, 360)
    assert (settings.MEDIA_ROOT / preview.thumbnail.name).is_file()

    video = video_object(story)
    assert video["name"] == "Never Gonna Give You Up"
    assert video["thumbnailUrl"] == f"http://testserver/media/{preview.thumbnail.name}"
    assert video["uploadDate"] and video["embedUrl"].startswith("https://www.youtube-nocookie")
    # Rendering asked nothing; saving again asks nothing more: the preview is known.
    with django_capture_on_commit_callbacks(execute=True):
        story.headline = "Edited"
        story.save()
    assert len(asked) == 2


def test_the_page_carries_the_preview_within_the_plain_story_budget(
    provider, django_capture_on_commit_callbacks, client, django_assert_max_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        story = make_article(blocks=[{"type": "embed", "url": YOUTUBE}], tags=["Talks"])
    client.get("/")
    # As tests/test_article_page.py: the story (its previews in its row), tags, related, rail,
    # bylines; comments: 3.
    with django_assert_max_num_queries(8):
        assert "Never Gonna Give You Up" in client.get(story.get_absolute_url()).content.decode()


def test_a_fetched_preview_purges_the_pages_of_the_stories_embedding_it(
    provider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = make_article(blocks=[{"type": "embed", "url": YOUTUBE}])
    other = make_article(blocks=[{"type": "embed", "url": "https://vimeo.com/76979871"}])
    keys = change_keys(EmbedPreview.objects.get(), deleted=False)
    assert f"story-{story.pk}" in keys and f"story-{other.pk}" not in keys


def test_a_provider_that_fails_leaves_no_preview_and_the_video_described_as_before(
    provider, django_capture_on_commit_callbacks
):
    _, answers = provider
    answers["status"] = 500
    with django_capture_on_commit_callbacks(execute=True):
        story = make_article(headline="Talks resume", blocks=[{"type": "embed", "url": YOUTUBE}])
    assert not EmbedPreview.objects.exists()
    video = video_object(story)
    assert video["name"] == "Talks resume (YouTube video)" and "thumbnailUrl" not in video


def test_nothing_is_asked_when_previews_are_off_or_the_embed_is_not_a_video(
    provider, django_capture_on_commit_callbacks, settings
):
    asked, _ = provider
    with django_capture_on_commit_callbacks(execute=True):
        make_article(blocks=[{"type": "embed", "url": "https://x.com/someone/status/1234567890"}])
    settings.NEWSROOM_EMBED_PREVIEWS = False
    with django_capture_on_commit_callbacks(execute=True):
        make_article(blocks=[{"type": "embed", "url": YOUTUBE}])
    assert asked == [] and not EmbedPreview.objects.exists()
