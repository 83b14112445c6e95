"""Guessing an account's password from many addresses meets a per-account ceiling; its owner,
on a device or address they have logged in from, still gets in."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.signing import Signer
from django.test import Client

from newsroom import known_devices
from newsroom.models import SecurityCounter
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


def attempt(password, ip, username="editor", client=None, **extra):
    client = client or Client()
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def guess_from_ten_addresses(username="editor", per_address=4, **extra):
    """Wrong passwords, 4 from each of ten addresses: below django-axes' 5 per pair. The first
    20 are answered as usual (the login form again); past that the ceiling answers."""
    made = 0
    for n in range(10):
        for _ in range(per_address):
            response = attempt("wrong", f"198.51.100.{n}", username, **extra)
            assert response.status_code == (200 if made < 20 else 429)
            made += 1


def test_the_right_password_from_an_eleventh_address_is_refused_after_guesses_from_ten(editor):
    guess_from_ten_addresses()

    response = attempt(PASSWORD, "203.0.113.11")

    assert response.status_code == 429
    assert not logged_in(response)
    html = response.content.decode()
    assert "Logins to this account are paused" in html
    assert "Your password was not checked" in html
    assert "a computer or phone you have logged in to the back office from before" in html
    assert 0 < int(response["Retry-After"]) <= 3600


def test_the_owner_on_a_device_they_logged_in_from_gets_in_despite_the_ceiling(editor):
    laptop = Client()
    assert logged_in(attempt(PASSWORD, "192.0.2.20", client=laptop))
    laptop.post("/admin/logout/")
    guess_from_ten_addresses()

    # From a train's wifi: a new address, the same laptop.
    assert logged_in(attempt(PASSWORD, "203.0.113.99", client=laptop))


def test_an_address_the_account_logged_in_from_before_gets_in_despite_the_ceiling(editor):
    assert logged_in(attempt(PASSWORD, "192.0.2.21"))
    guess_from_ten_addresses()

    assert logged_in(attempt(PASSWORD, "192.0.2.21"))  # the office, from a new browser
    assert attempt(PASSWORD, "192.0.2.22").status_code == 429


def test_another_accounts_device_or_a_forged_cookie_does_not_lift_the_ceiling(editor, reporter):
    shared = Client()
    assert logged_in(attempt(PASSWORD, "192.0.2.30", username="reporter", client=shared))
    guess_from_ten_addresses()

    assert attempt(PASSWORD, "203.0.113.30", client=shared).status_code == 429
    forged = Client()
    forged.cookies[known_devices.COOKIE] = Signer(salt="wrong").sign(f"{editor.pk}-" + "0" * 24)
    assert attempt(PASSWORD, "203.0.113.31", client=forged).status_code == 429


def test_a_password_change_forgets_every_known_device(editor):
    laptop = Client()
    assert logged_in(attempt(PASSWORD, "192.0.2.40", client=laptop))
    editor.set_password("a brand new passphrase 7")
    editor.save()
    guess_from_ten_addresses()

    assert attempt("a brand new passphrase 7", "203.0.113.40", client=laptop).status_code == 429


def test_the_known_device_cookie_is_signed_http_only_and_only_sent_to_the_admin(editor, settings):
    response = attempt(PASSWORD, "192.0.2.50")
    cookie = response.cookies[known_devices.COOKIE]
    assert cookie["httponly"] and cookie["path"] == "/admin/" and cookie["samesite"] == "Lax"
    assert not cookie["secure"]  # plain HTTP (the tests' DJANGO_HTTPS=0)
    assert cookie.value.count(":") >= 2  # value:timestamp:signature

    settings.SESSION_COOKIE_SECURE = True
    over_https = attempt(PASSWORD, "192.0.2.51", secure=True)
    assert over_https.cookies[known_devices.COOKIE]["secure"]


def test_the_owner_is_mailed_once_per_window_and_the_mail_quotes_nothing_the_guesser_sent(editor):
    hostile = '<a href="https://evil.example/">Reset here</a>\r\nBcc: victim@example.com'
    guess_from_ten_addresses(HTTP_USER_AGENT=hostile, HTTP_X_FORWARDED_FOR=hostile)
    attempt("wrong", "203.0.113.60")  # refused: past the ceiling, mailed no more

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["editor@example.com"]
    assert message.subject == "Newsroom: logins to your account are paused"
    assert "your Newsroom back office account, editor," in message.body
    assert "20 times within 60 minutes" in message.body
    for sent_by_the_guesser in ("evil", "<a", "198.51.100.", "Bcc"):
        assert sent_by_the_guesser not in message.body + message.subject
    assert message.bcc == [] and message.alternatives == []


def test_a_username_nobody_has_meets_the_same_ceiling_and_nobody_is_mailed(editor):
    guess_from_ten_addresses(username="no-such-person")

    response = attempt(PASSWORD, "203.0.113.70", username="no-such-person")

    assert response.status_code == 429
    assert "Logins to this account are paused" in response.content.decode()
    assert mail.outbox == []
    assert logged_in(attempt(PASSWORD, "203.0.113.70"))  # other accounts are not affected


def test_the_ceiling_lifts_when_its_window_ends(editor):
    guess_from_ten_addresses(per_address=2)  # 20: the ceiling
    assert attempt(PASSWORD, "203.0.113.80").status_code == 429

    SecurityCounter.objects.update(
        expires_at=SecurityCounter.objects.get().expires_at - timedelta(hours=1)
    )

    assert logged_in(attempt(PASSWORD, "203.0.113.80"))


def test_below_the_ceiling_logins_from_new_addresses_work_as_before(editor):
    guess_from_ten_addresses(per_address=1)

    assert logged_in(attempt(PASSWORD, "203.0.113.90"))
