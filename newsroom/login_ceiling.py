"""A ceiling on failed logins per account, counted over every address together.

django-axes pauses one (account, address) pair after a few wrong passwords, so nobody can lock an
editor out from elsewhere; but a guesser with many addresses gets that many tries from each. Past
NEWSROOM_LOGIN_CEILING failures within NEWSROOM_LOGIN_CEILING_WINDOW, logins to the account are
refused (before any password is checked) until the window ends, except from a device or address
it has logged in from before (newsroom/known_devices.py). The owner is mailed when the ceiling is
reached, once per window. Unknown usernames are counted and refused alike, so the page tells
nobody which accounts exist.
"""

import math
from functools import partial

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from . import counters, known_devices
from .after_response import call_after_response


def ceiling_key(username: str) -> str:
    return counters.counter_key("login-ceiling", username)


class LoginCeilingBackend:
    """Authenticates nobody; stops the login of an account over its ceiling from a new device.
    (No get_user: sessions are never this backend's, and force_login skips it.)"""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or not username:
            return None
        count, until = counters.current(ceiling_key(username))
        if count >= settings.NEWSROOM_LOGIN_CEILING and not known_devices.has_logged_in_from_here(
            request, username
        ):
            request.login_ceiling_until = until  # LoginCeilingMiddleware answers with the page
            raise PermissionDenied
        return None


def count_failed_login(request, username: str) -> None:
    """One more failed login for the account; the one that reaches the ceiling has its owner
    mailed (by the middleware, once the answer is out: the guesser learns nothing from its time)."""
    count = counters.hit(ceiling_key(username), settings.NEWSROOM_LOGIN_CEILING_WINDOW)
    if count == settings.NEWSROOM_LOGIN_CEILING:
        request.login_ceiling_reached_for = username


def mail_owner(username: str) -> None:
    """Tell the account's owner that logins from new devices are paused. The mail names only what
    the site knows (the account's own username, the limits), nothing a guesser sent."""
    User = get_user_model()
    user = (
        User._default_manager.filter(**{User.USERNAME_FIELD: username}, is_active=True)
        .exclude(email="")
        .first()
    )
    if user is None:
        return
    _, until = counters.current(ceiling_key(username))
    context = {
        "username": user.get_username(),
        "site_name": settings.NEWSROOM_SITE_NAME,
        "ceiling": settings.NEWSROOM_LOGIN_CEILING,
        "window_minutes": _minutes(settings.NEWSROOM_LOGIN_CEILING_WINDOW.total_seconds()),
        "until": until,
    }
    subject = render_to_string("registration/login_ceiling_subject.txt", context)
    body = render_to_string("registration/login_ceiling_email.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


def ceiling_response(request, until):
    seconds = max(0, (until - timezone.now()).total_seconds()) if until else 0
    context = {**admin.site.each_context(request), "until": until, "minutes": _minutes(seconds)}
    response = render(request, "admin/login_ceiling.html", context, status=429)
    response["Retry-After"] = str(math.ceil(seconds))
    return response


def _minutes(seconds: float) -> int:
    return max(1, math.ceil(seconds / 60))


class LoginCeilingMiddleware:
    """Answers a login stopped by the ceiling with its page, mails the owner once the ceiling is
    reached, and makes the device of each successful login known to its account."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if hasattr(request, "login_ceiling_until"):
            response = ceiling_response(request, request.login_ceiling_until)
        user = getattr(request, "logged_in_user", None)
        if user is not None:
            known_devices.remember_device(request, response, user)
        username = getattr(request, "login_ceiling_reached_for", None)
        if username is not None:
            call_after_response(response, partial(mail_owner, username))
        return response
