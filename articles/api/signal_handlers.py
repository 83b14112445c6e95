"""A key's changes reach requests at once, and a revoked or deleted key loses its cached answers:
every answer names the key it was made for (`api-key-<id>`, api/views.py), and shared caches in
front drop them on the purge."""

from django.db.models.signals import post_delete, post_save

from articles import caching
from articles.models import ApiKey

from .views import API_KEY_PREFIX


def replace_kept_key(sender, instance, raw=False, **kwargs):
    # Requests look for the key in the cache first (ApiKey.objects.authenticate): the entry is
    # replaced on every save and delete (a queryset's delete() sends post_delete too).
    instance.replace_kept_entry(deleted=kwargs.get("signal") is post_delete)


def purge_answers_of_revoked_key(sender, instance, raw=False, **kwargs):
    if not raw and (kwargs.get("signal") is post_delete or instance.revoked_at is not None):
        caching.purge([f"{API_KEY_PREFIX}{instance.pk}"])


def register_signal_handlers() -> None:
    for signal in (post_save, post_delete):
        signal.connect(replace_kept_key, sender=ApiKey, dispatch_uid="api-key-kept")
        signal.connect(purge_answers_of_revoked_key, sender=ApiKey, dispatch_uid="api-key-purge")
