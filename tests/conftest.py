import shutil
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True, scope="session")
def _jinja_templates_recorded():
    """As Django's test setup does for its own templates: each Jinja2 template rendered is
    told to the test client (response.templates), reader pages' story cards included."""
    import jinja2
    from django.test.signals import template_rendered

    render = jinja2.Template.render

    def recorded(self, *args, **kwargs):
        template_rendered.send(sender=self, template=self, context=dict(*args, **kwargs))
        return render(self, *args, **kwargs)

    jinja2.Template.render = recorded
    yield
    jinja2.Template.render = render


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # The versions' own backend on a machine without Redis (newsroom/disk_cache.py).
        "versions": {
            "BACKEND": "newsroom.disk_cache.VersionFiles",
            "LOCATION": tmp_path / "versions",
        },
    }
    # Off by default: query budgets and pages loaded twice with different data test the views
    # themselves. tests/test_page_cache.py turns it on.
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    # No test asks a video provider on the internet (tests/test_embed_previews.py asks its own).
    settings.NEWSROOM_EMBED_PREVIEWS = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.cache import cache

    cache.clear()
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


def _staff(username, group):
    user = User.objects.create_user(username, f"{username}@example.com", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db):
    return _staff("editor", "Editors")


@pytest.fixture
def reporter(db):
    return _staff("reporter", "Reporters")


@pytest.fixture
def moderator(db):
    return _staff("moderator", "Moderators")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reporter_client(client, reporter):
    client.force_login(reporter)
    return client


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def clock(monkeypatch):
    """Moves the site's clocks forward as time passing would: Django's (what is public) and the
    page copies' (how old a copy is). Nothing else happens: no save, no purge."""
    offset = [0.0]
    real_time, real_now = time.time, timezone.now
    monkeypatch.setattr(time, "time", lambda: real_time() + offset[0])
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(seconds=offset[0]))

    def advance(seconds: float) -> None:
        offset[0] += seconds

    return advance


@pytest.fixture
def purges(settings):
    """A stand-in for Varnish on loopback, recording the keys of the purges it receives."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self):
            received.append(self.headers["xkey-purge"].split())
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.NEWSROOM_PURGE_URLS = [f"http://127.0.0.1:{server.server_port}/"]
    yield received
    server.shutdown()
    server.server_close()
