"""Two-factor sign-in for staff (django-otp): setting up an authenticator app, the code after the
password, recovery codes, turning it off, and NEWSROOM_REQUIRE_2FA for those who may publish.
Codes are made from the device's key by django-otp's own TOTP code, as an authenticator app would."""

import re
import time
from datetime import timedelta

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.models import Article
from tests.conftest import PASSWORD
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

SET_UP, CODE_PAGE, OVERVIEW = (
    "/admin/two-factor/set-up/",
    "/admin/two-factor/code/",
    "/admin/two-factor/",
)


def code_for(device, steps_ahead=0) -> str:
    """The code the app shows now (or that many 30-second steps later: a code is taken once)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device) -> str:
    valid = {code_for(device, steps) for steps in (-1, 0, 1, 2)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def a_moment_later(user, seconds=5):
    """As when a person types a code again: django-otp checks codes 1 s after a wrong one, then
    2 s, 4 s, ..."""
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.filter(user=user, throttling_failure_timestamp__isnull=False):
            device.throttling_failure_timestamp -= timedelta(seconds=seconds)
            device.save(update_fields=["throttling_failure_timestamp"])


def post(client, url, data=None):
    """A form post as the browser sends it, with the CSRF token from the cookie."""
    return client.post(
        url, {**(data or {}), "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    )


def log_in(username, client=None):
    client = client or Client(enforce_csrf_checks=True)
    client.get("/admin/login/")
    response = post(
        client, "/admin/login/?next=/admin/", {"username": username, "password": PASSWORD}
    )
    assert response.status_code == 302, "the password was refused"
    return client


def enrolled(user, recovery_codes=("first-code", "second-code")) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="Recovery codes")
    for code in recovery_codes:
        StaticToken.objects.create(device=static, token=code)
    return device


def test_staff_set_up_an_authenticator_app_and_get_ten_recovery_codes_shown_once(reporter):
    client = log_in("reporter")

    page = client.get(SET_UP)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=reporter, confirmed=False)
    html = page.content.decode()
    assert "otpauth://totp/Newsroom%3Areporter?secret=" in html
    secret = re.search(r"secret=([A-Z2-7]+)", html)[1]
    assert " ".join(secret[n : n + 4] for n in range(0, len(secret), 4)) in html
    assert "<svg" in html  # the same link as a QR code, made here

    refused = post(client, SET_UP, {"code": wrong_code(device)})
    assert refused.status_code == 400
    assert "That code is not right" in refused.content.decode()
    assert client.get(SET_UP).content.decode().count(secret) >= 1  # the same key until confirmed
    a_moment_later(reporter)

    confirmed = post(client, SET_UP, {"code": code_for(device)})

    assert confirmed.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", confirmed.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "they are shown only now" in confirmed.content.decode()
    assert "no-store" in confirmed["Cache-Control"]
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200  # this session has passed
    overview = client.get(OVERVIEW).content.decode()
    assert "You have 10 unused recovery codes" in overview
    assert not any(code in overview for code in codes)


def test_after_the_password_staff_with_an_authenticator_enter_a_code_before_any_admin_page(editor):
    device = enrolled(editor)
    draft = make_article(status=Article.Status.DRAFT, headline="Embargoed budget leak")
    client = log_in("editor")

    for url in (
        "/admin/",
        "/admin/articles/article/",
        f"/admin/articles/article/{draft.pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{CODE_PAGE}?next="), url
    section = make_section()
    sneaked = post(client, "/admin/articles/section/add/", {"name": "Sneaked", "slug": "sneaked"})
    assert sneaked.status_code == 302 and sneaked["Location"].startswith(CODE_PAGE)
    assert not type(section).objects.filter(slug="sneaked").exists()
    # Outside the admin a password-only session counts as not signed in: no draft previews.
    assert client.get(f"/preview/{draft.pk}/")["Location"].startswith("/admin/login/")

    refused = post(
        client, f"{CODE_PAGE}?next=/admin/articles/article/", {"code": wrong_code(device)}
    )
    assert refused.status_code == 400
    assert "That code is not right" in refused.content.decode()
    a_moment_later(editor)

    passed = post(client, CODE_PAGE, {"code": code_for(device), "next": "/admin/articles/article/"})
    assert passed.status_code == 302 and passed["Location"] == "/admin/articles/article/"
    assert client.get("/admin/").status_code == 200
    assert "Embargoed budget leak" in client.get(f"/preview/{draft.pk}/").content.decode()


def test_a_recovery_code_lets_its_owner_in_once(reporter):
    enrolled(reporter, recovery_codes=["abcd2345"])

    first = log_in("reporter")
    assert post(first, CODE_PAGE, {"code": "ABCD 2345"}).status_code == 302  # as typed
    assert first.get("/admin/").status_code == 200

    second = log_in("reporter")
    assert post(second, CODE_PAGE, {"code": "abcd2345"}).status_code == 400
    assert second.get("/admin/").status_code == 302


def test_wrong_codes_pause_checking_and_the_page_says_for_how_long(reporter):
    device = enrolled(reporter)
    client = log_in("reporter")
    for attempt in range(4):
        a_moment_later(reporter, 2 ** (attempt - 1))  # waiting out each pause so far: 1, 2, 4 s
        assert post(client, CODE_PAGE, {"code": wrong_code(device)}).status_code == 400

    paused = post(client, CODE_PAGE, {"code": code_for(device)})

    assert paused.status_code == 429
    assert re.search(r"codes are not checked for \d+ more seconds?", paused.content.decode())
    assert client.get("/admin/").status_code == 302
    # A recovery code is not held up by wrong app codes.
    assert post(log_in("reporter"), CODE_PAGE, {"code": "first-code"}).status_code == 302
    a_moment_later(reporter, 8)  # the pause after the fourth wrong code runs out
    assert post(client, CODE_PAGE, {"code": code_for(device)}).status_code == 302


def test_with_two_factor_required_an_editor_sets_it_up_right_after_the_password(
    editor, reporter, settings
):
    settings.NEWSROOM_REQUIRE_2FA = True
    client = log_in("editor")

    desk = client.get("/admin/")
    assert desk.status_code == 302 and desk["Location"].startswith(f"{SET_UP}?next=")
    assert client.get(CODE_PAGE)["Location"].startswith(SET_UP)  # nothing to enter a code from
    page = client.get(desk["Location"])
    assert "Your account may publish" in page.content.decode()
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert post(client, desk["Location"], {"code": code_for(device)}).status_code == 200
    assert client.get("/admin/").status_code == 200

    # The next time: password, then code.
    again = log_in("editor")
    assert again.get("/admin/")["Location"].startswith(CODE_PAGE)
    assert post(again, CODE_PAGE, {"code": code_for(device, 1)}).status_code == 302
    assert again.get("/admin/").status_code == 200

    # Reporters cannot publish: the password is enough for them.
    assert log_in("reporter").get("/admin/").status_code == 200


def test_new_recovery_codes_replace_the_old_ones(reporter):
    device = enrolled(reporter, recovery_codes=["oldcode2"])
    client = log_in("reporter")
    post(client, CODE_PAGE, {"code": code_for(device)})

    response = post(client, "/admin/two-factor/recovery-codes/")

    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())
    assert len(codes) == 10
    assert "The codes you had before no longer work" in response.content.decode()
    later = log_in("reporter")
    assert post(later, CODE_PAGE, {"code": "oldcode2"}).status_code == 400
    a_moment_later(reporter)
    assert post(later, CODE_PAGE, {"code": codes[0]}).status_code == 302


def test_turning_two_factor_off_takes_a_current_code(reporter):
    device = enrolled(reporter)
    client = log_in("reporter")
    post(client, CODE_PAGE, {"code": code_for(device)})

    refused = post(client, "/admin/two-factor/turn-off/", {"code": wrong_code(device)})
    assert refused.status_code == 400
    assert "That code is not right" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=reporter).exists()
    a_moment_later(reporter)

    done = post(client, "/admin/two-factor/turn-off/", {"code": code_for(device, 1)})
    assert done.status_code == 302 and done["Location"] == OVERVIEW
    assert "Two-factor sign-in is off" in client.get(OVERVIEW).content.decode()
    assert not TOTPDevice.objects.filter(user=reporter).exists()
    assert not StaticDevice.objects.filter(user=reporter).exists()
    assert log_in("reporter").get("/admin/").status_code == 200  # the password alone again


def test_a_password_only_session_cannot_set_up_a_second_authenticator(reporter):
    enrolled(reporter)
    client = log_in("reporter")

    assert client.get(SET_UP).status_code == 302
    assert post(client, SET_UP, {"code": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=reporter).count() == 1
    assert client.get(OVERVIEW)["Location"].startswith(CODE_PAGE)
    for url in ("/admin/two-factor/recovery-codes/", "/admin/two-factor/turn-off/"):
        assert post(client, url)["Location"].startswith(CODE_PAGE), url
    assert StaticToken.objects.filter(device__user=reporter).count() == 2


def test_a_session_opened_before_the_app_was_set_up_elsewhere_enters_a_code_to_manage_it(
    reporter,
):
    earlier = log_in("reporter")  # say, a laptop left signed in
    enrolled(reporter, recovery_codes=["keptcode"])

    assert earlier.get(OVERVIEW)["Location"].startswith(CODE_PAGE)
    for url in ("/admin/two-factor/recovery-codes/", "/admin/two-factor/turn-off/"):
        assert post(earlier, url)["Location"].startswith(CODE_PAGE), url
    assert list(StaticToken.objects.values_list("token", flat=True)) == ["keptcode"]
    # ...and from then on every admin page asks it for the code.
    assert earlier.get("/admin/")["Location"].startswith(CODE_PAGE)


def test_every_two_factor_change_is_refused_without_the_csrf_token(reporter):
    device = enrolled(reporter)
    client = log_in("reporter")
    for url in (CODE_PAGE, SET_UP):
        assert client.post(url, {"code": code_for(device)}).status_code == 403, url
    post(client, CODE_PAGE, {"code": code_for(device)})
    for url in ("/admin/two-factor/recovery-codes/", "/admin/two-factor/turn-off/"):
        assert client.post(url, {"code": code_for(device, 1)}).status_code == 403, url
    assert StaticToken.objects.filter(device__user=reporter).count() == 2
    assert TOTPDevice.objects.filter(user=reporter).exists()


def test_after_the_code_the_user_is_sent_only_to_an_address_on_this_site(reporter):
    device = enrolled(reporter)
    client = log_in("reporter")

    response = post(client, CODE_PAGE, {"code": code_for(device), "next": "https://evil.example/"})

    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_with_two_factor_off_the_demo_logins_need_only_their_password(editor, reporter, moderator):
    for username in ("editor", "reporter", "moderator"):
        client = log_in(username)
        assert client.get("/admin/").status_code == 200, username
        assert "Two-factor sign-in" in client.get("/admin/").content.decode()
