"""Security headers: a Content-Security-Policy for reader pages and one for the back office,
the headers every response carries, and no cache keeping the redirect to HTTPS.

The public site works without JavaScript and loads nothing from other origins: its one script,
our own static/articles/embeds.js, puts an embed's player in the page once a reader asks for it,
so reader pages allow scripts from our origin only (never inline) and frames from the known
embed providers' players only (articles/models/embeds.py): an injected script or a hostile embed
gets nowhere even if some markup ever slipped past escaping and sanitising. The back office runs Django's admin scripts and the rich-text editor
from our own origin; the editor's one inline script, an import map, is allowed by its hash, so
no other inline script runs there either.
"""

import base64
import functools
import hashlib
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.cache import patch_cache_control


def reader_policy(media_origin: str = "") -> str:
    """The policy; photos may also come from object storage's public host, when there is one."""
    from articles.models.embeds import PLAYER_ORIGINS

    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            " ".join(["frame-src", *PLAYER_ORIGINS]),
            " ".join(filter(None, ["img-src 'self' data:", media_origin])),
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


# Powerful browser features none of our pages use, switched off for them and anything they embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media",
        "geolocation", "gyroscope", "magnetometer", "microphone", "midi", "payment",
        "picture-in-picture", "publickey-credentials-get", "screen-wake-lock", "usb",
        "xr-spatial-tracking",
    )
)  # fmt: skip

INLINE_SCRIPT_RE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)


@functools.cache
def admin_policy(media_origin: str = "") -> str:
    """The back office's policy, with the hash of the rich-text editor's import map (it depends
    on the static files' URLs, so it is computed once the app runs, not written down)."""
    from django_prose_editor.widgets import prose_editor_admin_media

    hashes = [
        f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'"
        for body in INLINE_SCRIPT_RE.findall(str(prose_editor_admin_media))
    ]
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(["script-src 'self'", *hashes]),
            # The admin and our list thumbnails set style attributes.
            "style-src 'self' 'unsafe-inline'",
            # Photos may come from object storage's public host, as on reader pages.
            " ".join(filter(None, ["img-src 'self' data: blob:", media_origin])),
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class ReaderContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = reverse("admin:index")
        self.media_origin = settings.NEWSROOM_MEDIA_ORIGIN
        self.policy = reader_policy(self.media_origin)

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.admin_prefix):
            # Computed at the first admin page, once the static files' URLs are known.
            response.headers.setdefault("Content-Security-Policy", admin_policy(self.media_origin))
        else:
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class SecurityHeadersMiddleware:
    """Headers for every response, static files included (so it sits before whitenoise).

    Photos under MEDIA_URL may be shown by other sites (feed readers show enclosures); every
    other resource is for our own pages only.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        from django.conf import settings

        self.media_prefix = settings.MEDIA_URL

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        shared = request.path.startswith(self.media_prefix)
        response.headers.setdefault(
            "Cross-Origin-Resource-Policy", "cross-origin" if shared else "same-origin"
        )
        return response


class UncachedSchemeRedirectMiddleware:
    """A redirect to this same address under another scheme or host (SecurityMiddleware's to
    HTTPS, with DJANGO_HTTPS) is marked `private, no-store`.

    It is the answer for the old scheme only, and nothing else in the request says which scheme
    that was but X-Forwarded-Proto: a shared cache that kept it would send it to readers already
    on https, who would be sent to where they are, for ever. Other redirects (a moved story, a
    missing slash, a photo's signed address) are cacheable like any page. Sits outside
    SecurityMiddleware (first in MIDDLEWARE), which answers such requests itself.
    """

    REDIRECTS = (301, 302, 303, 307, 308)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in self.REDIRECTS and self.moves_only_scheme_or_host(
            request, response.get("Location", "")
        ):
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def moves_only_scheme_or_host(request, location: str) -> bool:
        target = urlsplit(location)
        if not target.scheme or not target.netloc:
            return False  # a relative address keeps both
        same_path = target._replace(scheme="", netloc="").geturl() == request.get_full_path()
        return same_path and (target.scheme, target.netloc) != (request.scheme, request.get_host())
