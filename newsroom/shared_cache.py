"""The shared cache in front (Varnish): what only it is told.

Purges carry NEWSROOM_PURGE_SECRET, which the shipped VCL requires: purge addresses without it
are a system check warning, as every purge would be refused.
"""

from django.conf import settings
from django.core.checks import Warning, register


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
