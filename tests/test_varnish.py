"""Varnish in front of gunicorn, with the shipped deploy/varnish/default.vcl: anonymous reader
pages are served from Varnish, a change purges exactly the pages showing it (xkey), and staff and
POSTs always reach the app."""

import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.test import Client

from comments.forms import issue_timestamp
from comments.models import Comment
from deploy.services import stop_process
from tests.factories import make_article, make_author, make_section
from tests.factories_comments import make_comment
from tests.servers import REPO, free_port, gunicorn, manage, production_env, request, wait_for

pytestmark = [
    # Committed data, for gunicorn to see; the migrations' data (groups) is put back after each test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        shutil.which("varnishd") is None, reason="varnishd is not installed (make test installs it)"
    ),
]

VCL = REPO / "deploy" / "varnish" / "default.vcl"


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker, tmp_path_factory):
    """gunicorn (two workers, local-memory caches) on the test database, and varnishd with a copy
    of the shipped VCL whose backend is that gunicorn. Yields (varnish port, versions folder)."""
    from django.db import connection

    root = tmp_path_factory.mktemp("varnish-site")
    database_url = f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}"
    env = production_env(root, database_url)
    manage(env, "collectstatic", "--noinput", "-v", "0")
    with gunicorn(env, root) as app, varnishd(app) as port:
        yield port, root / "versions"
    # Each test ends by emptying the tables: leave what the migrations made (the groups) for
    # the tests after these and for the next run that reuses the database.
    with django_db_blocker.unblock():
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)


@contextmanager
def varnishd(backend_port: int):
    root = Path(tempfile.mkdtemp(prefix="newsroom-varnish-"))
    vcl = root / "default.vcl"
    shipped = VCL.read_text()
    assert '.port = "8000";' in shipped
    vcl.write_text(shipped.replace('.port = "8000";', f'.port = "{backend_port}";'))
    port = free_port()
    log = root / "varnishd.log"
    command = [
        "varnishd", "-F", "-j", "none", "-n", str(root / "work"), "-a", f"127.0.0.1:{port}",
        "-f", str(vcl), "-s", "malloc,32m",
    ]  # fmt: skip
    with log.open("w") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: request(port, "GET", "/robots.txt")[0] == 200, "varnishd", log=log)
        yield port
    finally:
        stop_process(server)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def varnish(servers, settings):
    """Varnish's port. This process saves as another app server would: it shares gunicorn's
    versions folder and purges Varnish. Each test starts with nothing cached."""
    port, versions = servers
    settings.CACHES = {
        **settings.CACHES,
        "versions": {**settings.CACHES["versions"], "LOCATION": versions},
    }
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    settings.NEWSROOM_PURGE_URLS = [f"http://127.0.0.1:{port}/"]
    caches["versions"].clear()
    assert request(port, "PURGE", "/", headers={"xkey-purge": "site"})[0] == 200
    return port


def staff_user():
    return User.objects.create_superuser("boss", "boss@example.com", "x")


@pytest.fixture
def story():
    return make_article(
        section=make_section("World", slug="world"),
        headline="Talks resume in Cairo",
        authors=[make_author("Dana Levi", slug="dana-levi")],
        tags=["Energy"],
    )


def get(port, path, **headers):
    return request(port, "GET", path, headers=headers)


def test_a_second_request_is_a_hit(varnish, story):
    for path in [story.get_absolute_url(), "/", "/world/", "/feed/"]:
        status, first, _ = get(varnish, path)
        assert status == 200, path
        assert first["X-Cache"] == "MISS"
        status, second, _ = get(varnish, path)
        assert second["X-Cache"] == "HIT", path
        assert "xkey" not in second  # the keys are for Varnish, not readers


def test_an_editors_headline_change_shows_through_varnish_on_the_next_request(varnish, story):
    pages = [story.get_absolute_url(), "/", "/world/", "/tag/energy/"]
    make_article(headline="An unrelated story", authors=[make_author(slug="ann-other")])
    for path in [*pages, "/author/ann-other/"]:
        get(varnish, path)
        assert get(varnish, path)[1]["X-Cache"] == "HIT"

    story.headline = "Talks collapse in Cairo"
    story.save()  # committed at once: the purge goes out

    for path in pages:
        _, headers, html = get(varnish, path)
        assert "Talks collapse in Cairo" in html, path
        assert headers["X-Cache"] == "MISS", path
    # Exactly the pages showing it: another author's page, which does not, stays cached.
    assert "An unrelated story" in get(varnish, "/author/ann-other/")[2]
    assert get(varnish, "/author/ann-other/")[1]["X-Cache"] == "HIT"


def test_a_comment_approval_shows_through_varnish_on_the_next_request(varnish, story):
    comment = make_comment(story, body="Worth the wait.", status=Comment.Status.PENDING)
    get(varnish, story.get_absolute_url())
    _, headers, html = get(varnish, story.get_absolute_url())
    assert headers["X-Cache"] == "HIT" and "Worth the wait." not in html

    comment.approve(by=staff_user())

    _, headers, html = get(varnish, story.get_absolute_url())
    assert "Worth the wait." in html
    assert headers["X-Cache"] == "MISS"


def test_staff_are_never_served_from_varnish(varnish, story):
    staff = Client()
    staff.force_login(staff_user())
    cookie = f"sessionid={staff.cookies['sessionid'].value}"
    get(varnish, story.get_absolute_url())  # cached for readers

    for _ in range(2):
        status, headers, _ = get(varnish, story.get_absolute_url(), Cookie=cookie)
        assert status == 200
        assert headers["X-Cache"] == "MISS"
        assert "private" in headers["Cache-Control"]
    for _ in range(2):
        status, headers, _ = get(varnish, "/admin/", Cookie=cookie)
        assert status == 200 and headers["X-Cache"] == "MISS"


def test_posts_always_reach_the_app(varnish, story):
    form = {
        "name": "Ruth Reader",
        "email": "ruth@example.com",
        "website": "",
        "started": issue_timestamp(story.pk, time.time() - 10),
    }
    for n in range(2):
        status, headers, _ = request(
            varnish,
            "POST",
            f"/comments/post/{story.pk}/",
            body=urlencode({**form, "body": f"Comment {n} through Varnish"}),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status == 303
        assert headers["X-Cache"] == "MISS"

    assert Comment.objects.filter(body__startswith="Comment ").count() == 2


def test_a_corrected_credit_of_a_photo_inside_a_story_shows_through_varnish(varnish, story):
    from tests.factories import make_photo

    photo = make_photo(photographer="Dana Levi", agency="Reuters")
    story.blocks = [
        {"type": "text", "html": "<p>The talks resumed.</p>"},
        {"type": "photo", "photo": photo.pk, "caption": "At the table", "size": "column"},
    ]
    story.save()
    make_article(headline="An unrelated story", authors=[make_author(slug="ann-other")])
    for path in [story.get_absolute_url(), "/author/ann-other/"]:
        get(varnish, path)
        assert get(varnish, path)[1]["X-Cache"] == "HIT"

    photo.agency = "Reuters Pictures"
    photo.save()  # committed at once: photo-<id> is purged

    _, headers, html = get(varnish, story.get_absolute_url())
    assert "Photo: Dana Levi / Reuters Pictures" in html
    assert headers["X-Cache"] == "MISS"
    assert get(varnish, "/author/ann-other/")[1]["X-Cache"] == "HIT"
