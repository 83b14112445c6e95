"""Password reset: the same answer after the same work for any address (the mail goes out after
the answer), and limits per client address and per email address asked for."""

import re
import statistics
import time
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from deploy.services import Gunicorn
from newsroom import counters
from tests.conftest import PASSWORD
from tests.live_servers import server_env, static_root
from tests.servers import request as http_request

__all__ = ["static_root"]

RESET = "/admin/password_reset/"


@pytest.fixture
def staff(db):
    return User.objects.create_user("dana", "dana@example.com", PASSWORD, is_staff=True)


def ask(email, ip="192.0.2.10", client=None):
    return (client or Client()).post(RESET, {"email": email}, REMOTE_ADDR=ip)


def sent_to():
    return [message.to for message in mail.outbox]


@contextmanager
def connection_left_alone():
    """As the test client does: the request signals leave the test's database connection (and its
    transaction) alone."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def csrf_pair():
    form = Client(enforce_csrf_checks=True).get(RESET)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.content.decode())[1]
    return form.cookies["csrftoken"].value, token


def normalised(queries) -> list[str]:
    """The statements with their values taken out: what work was done, not for whom."""
    return [re.sub(r"'[^']*'|\b\d+\b|\"s\d+_x\d+\"", "?", query["sql"]) for query in queries]


def test_the_answer_is_made_before_any_mail_and_with_the_same_work_for_staff_and_strangers(
    staff, monkeypatch
):
    """Through Django's own WSGI handler, called as a server calls it: the answer comes back
    first, and the server closes it once sent."""
    monkeypatch.setattr(counters, "SWEEP_EVERY", 1)  # the same housekeeping for both
    cookie, token = csrf_pair()
    work = {}
    for email in ("dana@example.com", "stranger@example.com"):
        form = {"email": email, "csrfmiddlewaretoken": token}
        environ = RequestFactory().post(RESET, form, HTTP_COOKIE=f"csrftoken={cookie}").environ
        mails_before = len(mail.outbox)
        with connection_left_alone():
            with CaptureQueriesContext(connection) as queries:
                response = WSGIHandler()(environ, lambda status, headers: None)
            assert response.status_code == 302
            assert response["Location"] == "/admin/password_reset/done/"
            assert len(mail.outbox) == mails_before, "a mail was made before the answer went out"
            work[email] = normalised(queries.captured_queries)
            response.close()  # the server has sent the answer
    assert work["dana@example.com"] == work["stranger@example.com"]
    assert sent_to() == [["dana@example.com"]]


def test_many_requests_from_one_address_are_refused_with_a_clear_429(staff):
    for n in range(5):
        assert ask(f"person{n}@example.com").status_code == 302

    refused = ask("dana@example.com")

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    html = refused.content.decode()
    assert "Too many password reset requests" in html
    assert "wait 60 minutes" in html
    assert mail.outbox == []
    assert ask("dana@example.com", ip="192.0.2.11").status_code == 302  # another address


@pytest.mark.parametrize("email", ["dana@example.com", "stranger@example.com"])
def test_one_email_address_asked_for_from_many_addresses_is_refused_after_three(staff, email):
    for n in range(3):
        assert ask(email, ip=f"198.51.100.{n}").status_code == 302

    # The same for staff and strangers alike, and whatever the capitals.
    assert ask(email.upper(), ip="198.51.100.9").status_code == 429

    assert len(mail.outbox) == (3 if email == "dana@example.com" else 0)


def test_the_limits_hold_when_every_cache_is_emptied(staff):
    from django.core.cache import caches

    for n in range(3):
        ask("dana@example.com", ip=f"198.51.100.{n}")
    for alias in ("default", "versions"):
        caches[alias].clear()  # as a flood of page copies could evict anything kept there

    assert ask("dana@example.com", ip="198.51.100.9").status_code == 429


def test_a_forged_request_from_another_site_is_refused_and_sends_nothing(staff):
    forged = Client(enforce_csrf_checks=True)

    assert forged.post(RESET, {"email": "dana@example.com"}).status_code == 403
    assert mail.outbox == []


def test_a_mail_server_that_fails_does_not_fail_the_answer(staff, settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.FailingBackend"

    assert ask("dana@example.com").status_code == 302


@pytest.fixture(scope="module")
def slow_mail_server(django_db_setup, static_root, tmp_path_factory):
    """gunicorn on the test database with a mail server that takes 100 ms a message."""
    root = tmp_path_factory.mktemp("reset-timing")
    database = connection.settings_dict
    env = server_env(
        static_root,
        root,
        DATABASE_URL=f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        DJANGO_EMAIL_BACKEND="tests.mail_backends.SlowBackend",
        NEWSROOM_PASSWORD_RESETS_PER_ADDRESS="1000",
        NEWSROOM_PASSWORD_RESETS_PER_EMAIL="1000",
    )
    server = Gunicorn(root, env, workers=2).start()
    yield server
    server.stop()


def test_a_real_server_answers_staff_and_strangers_in_the_same_time(
    slow_mail_server, transactional_db, django_db_serialized_rollback
):
    from tests.mail_backends import SLOW_MAIL_SECONDS

    User.objects.create_user("dana", "dana@example.com", PASSWORD, is_staff=True)
    _, headers, html = http_request(slow_mail_server.port, "GET", RESET)
    cookie = headers["Set-Cookie"].split(";")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    times = {"dana@example.com": [], "stranger@example.com": []}
    for _ in range(12):
        for email, taken in times.items():
            body = f"email={email}&csrfmiddlewaretoken={token}"
            started = time.perf_counter()
            status, _, _ = http_request(
                slow_mail_server.port, "POST", RESET, body,
                {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
            )  # fmt: skip
            taken.append(time.perf_counter() - started)
            assert status == 302
            time.sleep(2 * SLOW_MAIL_SECONDS)  # the worker sends the mail meanwhile
    staff, stranger = (statistics.median(taken) for taken in times.values())
    print(f"median answer: staff address {staff * 1000:.1f} ms, unknown {stranger * 1000:.1f} ms")
    assert staff < SLOW_MAIL_SECONDS, "the staff address's answer waited for its mail"
    assert abs(staff - stranger) < SLOW_MAIL_SECONDS / 4
