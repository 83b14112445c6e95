"""Staff accounts: password reset by email, on Django's own views and the admin's templates.

Only active staff with a usable password get a reset link; any address gets the same "sent"
page after the same work, so neither the page nor its time tells anyone which addresses have
accounts: the request only checks the form and counts it, and finding the account, making the
link and sending the mail happen once the answer has gone out. Requests are limited per client
address and per email address asked for (429 past either), counted in the database.
"""

import math
from functools import partial

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse_lazy
from django.utils import timezone

from comments.client_address import client_ip

from . import counters, two_factor_views
from .after_response import call_after_response


class StaffPasswordResetForm(PasswordResetForm):
    def get_users(self, email):
        return (user for user in super().get_users(email) if user.is_staff)


class StaffPasswordResetView(auth_views.PasswordResetView):
    form_class = StaffPasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def post(self, request, *args, **kwargs):
        address = counters.counter_key("password-reset-address", client_ip(request) or "")
        with transaction.atomic():  # both counts (address, then email) in one commit
            if self._over(address, settings.NEWSROOM_PASSWORD_RESETS_PER_ADDRESS):
                return too_many_resets(request, address)
            return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        target = counters.counter_key("password-reset-email", email)
        if self._over(target, settings.NEWSROOM_PASSWORD_RESETS_PER_EMAIL):
            return too_many_resets(self.request, target)
        # What PasswordResetView.form_valid does, with the mail sent after the answer.
        options = {
            "use_https": self.request.is_secure(),
            "token_generator": self.token_generator,
            "from_email": self.from_email,
            "email_template_name": self.email_template_name,
            "subject_template_name": self.subject_template_name,
            "request": self.request,
            "html_email_template_name": self.html_email_template_name,
            "extra_email_context": self.extra_email_context,
        }
        response = HttpResponseRedirect(self.get_success_url())
        return call_after_response(response, partial(form.save, **options))

    @staticmethod
    def _over(key: str, limit: int) -> bool:
        return counters.hit(key, settings.NEWSROOM_PASSWORD_RESET_WINDOW) > limit


def too_many_resets(request, key):
    _, until = counters.current(key)
    seconds = max(0, (until - timezone.now()).total_seconds()) if until else 0
    context = {**admin.site.each_context(request), "minutes": max(1, math.ceil(seconds / 60))}
    response = render(request, "registration/password_reset_throttled.html", context, status=429)
    response["Retry-After"] = str(math.ceil(seconds))
    return response


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked (account, address) pair: say for how long, and how out."""
    context = {
        **admin.site.each_context(request),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
    }
    return render(request, "admin/lockout.html", context, status=429)


urlpatterns = [
    path(
        "admin/password_reset/",
        StaffPasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path(
        "admin/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "admin/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "admin/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    *two_factor_views.urlpatterns,
]
