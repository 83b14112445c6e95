"""The two-factor screens under /admin/two-factor/: set up an authenticator app, enter a code after
the password, get recovery codes again, turn it off. Every change is a POST behind CSRF; a wrong
code is a form error (400), and too many wrong codes pause checking (429, django-otp's own
throttle on each device, kept in the database: twice as long after each wrong code).
"""

import base64

import segno
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import two_factor

RECOVERY_CODES = 10
APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


class CodeForm(forms.Form):
    """A code from the authenticator app or a recovery code, checked against `devices`."""

    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, devices, **kwargs):
        super().__init__(*args, **kwargs)
        self.devices = devices  # a queryset per kind of device, read for update when checking
        self.device = None
        self.throttled_until = None

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).lower()
        paused = []
        # Locked while checking, so that codes sent at once are counted one after another.
        with transaction.atomic():
            for queryset in self.devices:
                for device in queryset.select_for_update():
                    if not takes(device, code):
                        continue
                    allowed, details = device.verify_is_allowed()
                    if not allowed:
                        paused.append(details["locked_until"])
                    elif device.verify_token(code):
                        self.device = device
                        return code
        if paused:
            self.throttled_until = max(paused)
            seconds = max(1, round((self.throttled_until - timezone.now()).total_seconds()))
            raise forms.ValidationError(
                ngettext(
                    "Too many wrong codes: codes are not checked for %(count)d more second. "
                    "Wait, then try again.",
                    "Too many wrong codes: codes are not checked for %(count)d more seconds. "
                    "Wait, then try again.",
                    seconds,
                )
                % {"count": seconds}
            )
        raise forms.ValidationError(
            gettext(
                "That code is not right. Enter the six digits your authenticator app shows now, "
                "or one of your recovery codes."
            )
        )


def takes(device, code: str) -> bool:
    """Digits go to the app, anything else to the recovery codes (which always hold a letter): a
    mistyped recovery code does not count as a wrong app code, nor the other way round."""
    return code.isdigit() == isinstance(device, TOTPDevice)


def confirmed_devices(user):
    return [
        TOTPDevice.objects.filter(user=user, confirmed=True),
        StaticDevice.objects.filter(user=user, confirmed=True),
    ]


def pending_app(user) -> TOTPDevice:
    """The authenticator being set up: the same one (and secret) until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with new ones, returned to be shown once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": RECOVERY_NAME})
    device.token_set.all().delete()
    codes = []
    while len(codes) < RECOVERY_CODES:
        code = StaticToken.random_token()
        if not code.isdigit():
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def page(request, template, context=None, status=200):
    context = {**admin.site.each_context(request), "next": safe_next(request), **(context or {})}
    return render(request, f"admin/two_factor/{template}", context, status=status)


def form_error_status(form) -> int:
    return 429 if form.throttled_until else 400


def code_first(request):
    """Someone with a second factor manages it only from a session that has passed it; asking the
    database (not the session's note) also catches a session opened before it was set up."""
    if two_factor.remember_enrolment(request, request.user) and not request.user.is_verified():
        return redirect_to_login(request.get_full_path(), reverse("two_factor_verify"))
    return None


def passed(request, device) -> None:
    """This session has passed a second factor: a new session key, as at any sign-in."""
    request.session.cycle_key()
    otp_login(request, device)


@never_cache
@staff_member_required
@require_safe
def overview(request):
    if stop := code_first(request):
        return stop
    user = request.user
    enrolled = two_factor.is_enrolled(user)
    recovery_left = StaticToken.objects.filter(device__user=user).count() if enrolled else 0
    return page(
        request,
        "overview.html",
        {
            "enrolled": enrolled,
            "required": two_factor.required_for(user),
            "recovery_left": recovery_left,
            "form": CodeForm(devices=[]),
        },
    )


@never_cache
@staff_member_required
def enrol(request):
    user = request.user
    if two_factor.is_enrolled(user):
        return redirect("two_factor")
    device = pending_app(user)
    form = CodeForm(request.POST or None, devices=[TOTPDevice.objects.filter(pk=device.pk)])
    if request.method == "POST":
        if form.is_valid():
            device.refresh_from_db()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = new_recovery_codes(user)
            passed(request, device)
            request.session[two_factor.ENROLLED] = True
            return page(request, "recovery_codes.html", {"codes": codes, "new_setup": True})
        status = form_error_status(form)
    else:
        status = 200
    uri = device.config_url
    context = {
        "form": form,
        "uri": uri,
        "secret": " ".join(_groups(base64.b32encode(device.bin_key).decode(), 4)),
        "qr_svg": segno.make(uri, error="m").svg_inline(scale=4, title="QR code of the setup link"),
        "required": two_factor.required_for(user),
        "digits": device.digits,
    }
    return page(request, "enrol.html", context, status=status)


@never_cache
@staff_member_required
def verify(request):
    user = request.user
    if user.is_verified():
        return redirect(safe_next(request))
    if not two_factor.remember_enrolment(request, user):
        if two_factor.required_for(user):
            return redirect_to_login(safe_next(request), reverse("two_factor_enrol"))
        return redirect(safe_next(request))
    form = CodeForm(request.POST or None, devices=confirmed_devices(user))
    if request.method == "POST":
        if form.is_valid():
            passed(request, form.device)
            return redirect(safe_next(request))
        return page(request, "verify.html", {"form": form}, status=form_error_status(form))
    return page(request, "verify.html", {"form": form})


@never_cache
@staff_member_required
@require_POST
def recovery_codes(request):
    """New recovery codes (the old ones stop working), shown once."""
    if stop := code_first(request):
        return stop
    if not two_factor.is_enrolled(request.user):
        return redirect("two_factor")
    return page(request, "recovery_codes.html", {"codes": new_recovery_codes(request.user)})


@never_cache
@staff_member_required
@require_POST
def disable(request):
    """Turn two-factor sign-in off: it takes a code, so a session left open cannot do it alone."""
    if stop := code_first(request):
        return stop
    user = request.user
    if not two_factor.is_enrolled(user):
        return redirect("two_factor")
    form = CodeForm(request.POST, devices=confirmed_devices(user))
    if not form.is_valid():
        context = {
            "enrolled": True,
            "required": two_factor.required_for(user),
            "recovery_left": StaticToken.objects.filter(device__user=user).count(),
            "form": form,
        }
        return page(request, "overview.html", context, status=form_error_status(form))
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    request.session[two_factor.ENROLLED] = False
    messages.success(request, gettext("Two-factor sign-in is off for your account."))
    return redirect("two_factor")


def _groups(text: str, size: int) -> list[str]:
    return [text[start : start + size] for start in range(0, len(text), size)]


urlpatterns = [
    path("admin/two-factor/", overview, name="two_factor"),
    path("admin/two-factor/set-up/", enrol, name="two_factor_enrol"),
    path("admin/two-factor/code/", verify, name="two_factor_verify"),
    path("admin/two-factor/recovery-codes/", recovery_codes, name="two_factor_recovery_codes"),
    path("admin/two-factor/turn-off/", disable, name="two_factor_disable"),
]
