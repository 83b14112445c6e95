"""Devices and addresses an account has logged in from: they pass the per-account login ceiling
(newsroom/login_ceiling.py), so a guesser spread over many addresses cannot lock its owner out.

A device is known by a signed cookie set at each successful login, scoped to the admin and
unreadable by scripts. It names up to five accounts (a shared newsroom computer), each by a mark
made from the account's password hash: after a password change no device is known any more.
An address is known when django-axes logged a successful login to the account from it.
"""

from datetime import timedelta

from axes.models import AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from comments.client_address import client_ip

COOKIE = "newsroom_known_device"
SALT = "newsroom.known-device"
ACCOUNTS_PER_DEVICE = 5


def _lifetime() -> timedelta:
    return timedelta(days=settings.NEWSROOM_KNOWN_DEVICE_DAYS)


def _mark(user) -> str:
    return f"{user.pk}-{salted_hmac(SALT, user.password).hexdigest()[:24]}"


def _marks(request) -> list[str]:
    value = request.get_signed_cookie(
        COOKIE, default="", salt=SALT, max_age=_lifetime().total_seconds()
    )
    return value.split(",") if value else []


def has_logged_in_from_here(request, username: str) -> bool:
    """Whether this device or this address has logged in to the account named `username`."""
    User = get_user_model()
    user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
    if user is None:
        return False
    mark = _mark(user)
    if any(constant_time_compare(mark, known) for known in _marks(request)):
        return True
    return AccessLog.objects.filter(
        username=username,
        ip_address=client_ip(request),
        attempt_time__gte=timezone.now() - _lifetime(),
    ).exists()


def remember_device(request, response, user) -> None:
    """Set (or renew) the cookie that makes this device known to `user`'s account."""
    own = _mark(user)
    others = [mark for mark in _marks(request) if not mark.startswith(f"{user.pk}-")]
    response.set_signed_cookie(
        COOKIE,
        ",".join([own, *others][:ACCOUNTS_PER_DEVICE]),
        salt=SALT,
        max_age=int(_lifetime().total_seconds()),
        path=reverse("admin:index"),
        secure=settings.SESSION_COOKIE_SECURE or request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
