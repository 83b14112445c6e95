"""Failed staff logins are throttled per (account, address) pair, and staff reset passwords by email."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from redis import Redis

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


def attempt(password, ip="192.0.2.10", username="editor"):
    return Client().post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


@pytest.fixture(params=["database", "redis"])
def handler(request, settings):
    """Both ways the counters are kept: the database (no REDIS_URL) and the shared Redis cache."""
    from axes.handlers.proxy import AxesProxyHandler

    if request.param == "redis":
        db = int(__import__("os").environ.get("TEST_REDIS_DB", "9"))
        Redis(db=db).flushdb()
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:6379/{db}",
            }
        }
        settings.AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
    else:
        settings.AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
    AxesProxyHandler.get_implementation(force=True)
    yield request.param
    settings.AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
    AxesProxyHandler.get_implementation(force=True)
    if request.param == "redis":
        Redis(db=db).flushdb()


def test_after_five_wrong_passwords_even_the_right_one_is_refused_with_a_clear_message(
    editor, handler
):
    for _ in range(4):
        assert attempt("wrong").status_code == 200
    assert attempt("wrong").status_code == 429  # the fifth failure locks

    locked = attempt(PASSWORD)

    assert locked.status_code == 429
    assert not logged_in(locked)
    html = locked.content.decode()
    assert "Too many failed logins" in html
    assert "paused for 15 minutes" in html
    assert 'href="/admin/password_reset/"' in html


def test_a_lockout_from_one_address_does_not_lock_the_editor_out_from_another(editor, handler):
    for _ in range(6):
        attempt("wrong", ip="203.0.113.66")

    assert logged_in(attempt(PASSWORD, ip="192.0.2.10"))
    # …and another account at the attacker's address is not locked either.
    User.objects.create_user("reporter2", password=PASSWORD, is_staff=True)
    assert logged_in(attempt(PASSWORD, ip="203.0.113.66", username="reporter2"))


def test_the_lock_lifts_after_the_cool_off(editor, settings):
    from datetime import timedelta

    for _ in range(5):
        attempt("wrong")
    assert attempt(PASSWORD).status_code == 429

    settings.AXES_COOLOFF_TIME = timedelta(seconds=0)
    assert logged_in(attempt(PASSWORD))


def test_force_login_still_works_for_tests(editor_client):
    assert editor_client.get("/admin/").status_code == 200


def test_staff_reset_their_password_by_email_from_the_login_page(editor, client):
    editor.email = "editor@example.com"
    editor.save()
    User.objects.create_user("reader", "reader@example.com", PASSWORD)  # not staff

    login_page = client.get(LOGIN).content.decode()
    assert 'href="/admin/password_reset/"' in login_page

    for address in ("editor@example.com", "reader@example.com", "nobody@example.com"):
        response = client.post("/admin/password_reset/", {"email": address})
        assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["editor@example.com"]]

    link = re.search(r"https?://[^/]+(/admin/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a new long passphrase 42", "new_password2": "a new long passphrase 42"},
    )
    assert done.status_code == 302
    assert logged_in(attempt("a new long passphrase 42"))
