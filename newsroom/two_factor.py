"""Two-factor sign-in for staff (django-otp): who must pass a second factor, and the middleware
that holds them to it.

A signed-in user must pass a second factor in this session when they have set one up (an
authenticator app), or when NEWSROOM_REQUIRE_2FA is on and they may publish. Until they have, admin
pages send them to the code page (or to set one up, if they have none), and everywhere else they
count as not signed in (the staff preview of drafts included).

Whether the user has set one up is noted in the session at login and when it changes here, so
that an ordinary admin page costs no extra query; other sessions of the same user that were
already open learn of a new authenticator at their next login.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django_otp.plugins.otp_totp.models import TOTPDevice

PUBLISH_PERMISSION = "articles.publish_article"
ENROLLED = "newsroom_two_factor_enrolled"  # session key


def is_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def remember_enrolment(request, user) -> bool:
    request.session[ENROLLED] = enrolled = is_enrolled(user)
    return enrolled


def enrolled_in_session(request, user) -> bool:
    enrolled = request.session.get(ENROLLED)
    return remember_enrolment(request, user) if enrolled is None else enrolled


def required_for(user) -> bool:
    return settings.NEWSROOM_REQUIRE_2FA and user.has_perm(PUBLISH_PERMISSION)


def must_pass_second_factor(request, user) -> bool:
    if not user.is_authenticated or user.is_verified():
        return False
    return enrolled_in_session(request, user) or required_for(user)


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware, which says whether this session passed a second factor."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = reverse("admin:index")
        # What a signed-in user reaches before the second factor: logging in and out, the code.
        self.open_paths = {
            reverse(name)
            for name in ("admin:login", "admin:logout", "two_factor_verify", "two_factor_enrol")
        }

    def __call__(self, request):
        user = request.user
        if request.path.startswith(self.admin_prefix):
            if request.path not in self.open_paths and must_pass_second_factor(request, user):
                step = (
                    "two_factor_verify"
                    if enrolled_in_session(request, user)
                    else "two_factor_enrol"
                )
                return redirect_to_login(request.get_full_path(), reverse(step))
        else:
            request.user = SimpleLazyObject(
                lambda: AnonymousUser() if must_pass_second_factor(request, user) else user
            )
        return self.get_response(request)
