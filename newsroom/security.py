"""A Content-Security-Policy for reader pages.

The public site runs no JavaScript and loads nothing from other origins, so its pages can forbid
both: an injected script or a hostile embed gets nowhere even if some markup ever slipped past
escaping and sanitising. The back office keeps Django's defaults: its rich-text editor runs
inline import maps that this policy would block.
"""

from django.conf import settings
from django.urls import reverse


def reader_policy(media_origin: str = "") -> str:
    """The policy; photos may also come from object storage's public host, when there is one."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'none'",
            " ".join(filter(None, ["img-src 'self' data:", media_origin])),
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


READER_POLICY = reader_policy()


class ReaderContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = reverse("admin:index")
        self.policy = reader_policy(settings.NEWSROOM_MEDIA_ORIGIN)

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(self.admin_prefix):
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
