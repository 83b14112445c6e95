"""A Content-Security-Policy for reader pages.

The public site runs no JavaScript and loads nothing from other origins, so its pages can forbid
both: an injected script or a hostile embed gets nowhere even if some markup ever slipped past
escaping and sanitising. The back office keeps Django's defaults: its rich-text editor runs
inline import maps that this policy would block.
"""

from django.urls import reverse

READER_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'none'",
        "img-src 'self' data:",
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

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(self.admin_prefix):
            response.headers.setdefault("Content-Security-Policy", READER_POLICY)
        return response
