"""Gzip for what readers and feed readers fetch: pages, feeds, sitemaps, robots.txt.

BREACH (Django's GZipMiddleware docs): compressing a response that holds a secret beside text an
attacker can make the page echo lets a man in the middle recover the secret from response sizes.
- The back office is never compressed: its pages carry CSRF tokens and session-bound content
  (drafts, readers' addresses) next to echoed input such as admin searches, and a handful of
  staff gains next to nothing from compression.
- Reader pages hold no session secret; a CSRF token on them (the comment form) is masked afresh
  for every response by Django, and GZipMiddleware pads each response with up to 100 random bytes
  ("Heal The Breach"), so sizes do not give a token away.
Photos and other binary files are already compressed and are passed through untouched; static
files never get here: WhiteNoise, above this middleware, serves its own precompressed copies.
"""

from django.middleware.gzip import GZipMiddleware
from django.urls import reverse

COMPRESSED_TYPES = frozenset(
    {
        "text/html",
        "text/plain",
        "text/xml",
        "application/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/json",
        "application/ninjs+json",  # the content API's ninjs (articles/api)
    }
)


class ReaderGZipMiddleware(GZipMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        self.admin_prefix = reverse("admin:index")

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").partition(";")[0].strip().lower()
        if content_type not in COMPRESSED_TYPES or request.path.startswith(self.admin_prefix):
            return response
        return super().process_response(request, response)
