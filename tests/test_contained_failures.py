"""Failures stay contained: a slow statement is cancelled before gunicorn would kill the worker,
a full disk during an upload leaves no partial file and no row, and no error page shows a
traceback, SQL or settings."""

import io
import os
import random
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from PIL import Image

from articles.models import Photo

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parent.parent


def test_postgres_cancels_a_statement_before_gunicorn_kills_the_worker():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "20s"
    # A fresh process with a one-second limit: a two-second statement is cancelled.
    code = (
        "import django; django.setup();"
        "from django.db import connection;"
        "cursor = connection.cursor();"
        "cursor.execute('SELECT pg_sleep(2)')"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings",
           "DJANGO_STATEMENT_TIMEOUT_SECONDS": "1"}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "canceling statement due to statement timeout" in result.stderr


def test_the_sqlite_quickstart_gets_no_postgres_options(tmp_path):
    code = (
        "from django.conf import settings;"
        "print(settings.DATABASES['default']['ENGINE'], settings.DATABASES['default'].get('OPTIONS'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="newsroom.settings", DJANGO_DEBUG="1")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();" + code],
        cwd=REPO, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert result.stdout.strip() == "django.db.backends.sqlite3 {}"


def test_the_sqlite_quickstart_starts_without_warnings(tmp_path):
    """`make run` migrates and serves on SQLite: its checks of the database (which Django runs
    before migrating) find nothing to warn a newcomer about."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'quickstart.sqlite3'}"}
    env.update(DJANGO_SETTINGS_MODULE="newsroom.settings", DJANGO_DEBUG="1")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--database", "default", "--fail-level", "WARNING"],
        cwd=REPO, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "WARNINGS" not in result.stderr + result.stdout


@pytest.fixture
def small_disk(settings, tmp_path):
    """MEDIA_ROOT on a real 1 MB filesystem (a tmpfs mounted for the test; needs root)."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {result.stderr.decode().strip()}")
    settings.MEDIA_ROOT = mount
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def noisy_jpeg(size=(1400, 1000)) -> bytes:
    rng = random.Random(7)
    image = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_full_disk_during_an_upload_leaves_no_partial_file_and_no_row(small_disk, editor):
    data = noisy_jpeg()
    assert len(data) > 1_100_000  # bigger than the whole disk
    client = Client(raise_request_exception=False)
    client.force_login(editor)

    response = client.post(
        reverse("admin:articles_photo_add"),
        {
            "image": SimpleUploadedFile("big.jpg", data, "image/jpeg"),
            "caption": "Too big for the disk", "alt_text": "Noise", "photographer": "Someone",
            "agency": "", "usage_terms": "", "rights_expire_on": "",
        },
    )  # fmt: skip

    assert response.status_code == 507
    assert "The photo was not saved" in response.content.decode()
    assert not Photo.objects.exists()
    assert files_under(small_disk) == []


def test_renditions_that_do_not_fit_leave_none_behind(small_disk, editor_client):
    data = noisy_jpeg((1000, 700))
    assert 500_000 < len(data) < 900_000  # the original fits, its renditions do not

    response = editor_client.post(
        reverse("admin:articles_photo_add"),
        {
            "image": SimpleUploadedFile("fits.jpg", data, "image/jpeg"),
            "caption": "Fits", "alt_text": "Noise", "photographer": "Someone",
            "agency": "", "usage_terms": "", "rights_expire_on": "",
        },
    )  # fmt: skip

    assert response.status_code == 302
    photo = Photo.objects.get()
    assert photo.renditions == {}
    assert files_under(small_disk) == [photo.image.name]


def test_a_statement_cancelled_mid_request_gets_the_styled_503_page_and_nothing_else(editor):
    # A real failure: another session holds the stories table, the page's query waits, and the
    # statement timeout cancels it. The reader sees the styled "try again shortly" page (every
    # database error is a 503 with Retry-After, newsroom/views.py) and no internals.
    client = Client(raise_request_exception=False)
    holder = psycopg2.connect(
        dbname=connection.settings_dict["NAME"], user=connection.settings_dict["USER"],
        host=connection.settings_dict["HOST"], port=connection.settings_dict["PORT"] or 5432,
    )  # fmt: skip
    try:
        with holder.cursor() as cursor:
            cursor.execute("LOCK TABLE articles_article IN ACCESS EXCLUSIVE MODE")
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = '300ms'")
        response = client.get("/")
    finally:
        holder.rollback()
        holder.close()

    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "This page is not available for a moment" in html
    for leak in ("Traceback", "statement timeout", "SELECT", "articles_article", "SECRET_KEY",
                 django_settings.SECRET_KEY, "File \"", "DATABASES"):  # fmt: skip
        assert leak not in html
