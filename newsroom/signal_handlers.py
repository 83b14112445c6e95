"""What logging in and failing to log in set going (newsroom/login_ceiling.py,
newsroom/two_factor.py). Registered in a fixed order by NewsroomConfig.ready()."""

from django.contrib.auth.signals import user_logged_in, user_login_failed

from . import login_ceiling, two_factor


def count_failed_login_toward_ceiling(sender, credentials, request=None, **kwargs):
    username = credentials.get("username")
    if request is not None and username:
        login_ceiling.count_failed_login(request, username)


def remember_device_and_enrolment(sender, request, user, **kwargs):
    # LoginCeilingMiddleware sets the known-device cookie on this request's answer.
    request.logged_in_user = user
    two_factor.remember_enrolment(request, user)


def register_signal_handlers():
    user_login_failed.connect(
        count_failed_login_toward_ceiling, dispatch_uid="newsroom_count_failed_login"
    )
    user_logged_in.connect(
        remember_device_and_enrolment, dispatch_uid="newsroom_remember_device_and_enrolment"
    )
