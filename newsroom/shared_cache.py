"""The shared cache in front (Varnish): what only it is told.

Reader pages name what they show in an `xkey` header (`story-12 section-3 home ...`), for a cache
that purges by those keys (deploy/varnish/default.vcl reads them and drops the header before
readers get the page). Without such a cache (NEWSROOM_PURGE_URLS empty) nothing would drop it,
so `SurrogateKeysForPurgingCachesOnly`, around the whole WSGI application (answers kept by
articles.caching.served_copies included), does.

Purges carry NEWSROOM_PURGE_SECRET, which the shipped VCL requires: purge addresses without it
are a system check warning, as every purge would be refused.
"""

from django.conf import settings
from django.core.checks import Warning, register


class SurrogateKeysForPurgingCachesOnly:
    """WSGI middleware: drops the `xkey` header unless a cache in front purges by it."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if settings.NEWSROOM_PURGE_URLS:
            return self.application(environ, start_response)

        def without_keys(status, headers, exc_info=None):
            kept = [(name, value) for name, value in headers if name.lower() != "xkey"]
            return start_response(status, kept, exc_info)

        return self.application(environ, without_keys)


@register()
def check_purge_secret(app_configs, **kwargs):
    if not settings.NEWSROOM_PURGE_URLS or settings.NEWSROOM_PURGE_SECRET:
        return []
    return [
        Warning(
            "NEWSROOM_PURGE_URLS is set but NEWSROOM_PURGE_SECRET is not: the shipped Varnish "
            "configuration refuses every purge without it, so changes show only as pages expire.",
            hint="Set NEWSROOM_PURGE_SECRET to a long random value, the same in varnishd's "
            "environment (docs/deploy.md, 'Varnish and the TLS proxy').",
            id="newsroom.W002",
        )
    ]
