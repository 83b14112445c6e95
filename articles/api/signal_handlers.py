"""A revoked or deleted key loses its cached answers too: every answer names the key it was
made for (`api-key-<id>`, api/views.py), and shared caches in front drop them on the purge."""

from django.db.models.signals import post_delete, post_save

from articles import caching
from articles.models import ApiKey

from .views import API_KEY_PREFIX


def purge_answers_of_revoked_key(sender, instance, raw=False, **kwargs):
    if not raw and (kwargs.get("signal") is post_delete or instance.revoked_at is not None):
        caching.purge([f"{API_KEY_PREFIX}{instance.pk}"])


def register_signal_handlers() -> None:
    post_save.connect(purge_answers_of_revoked_key, sender=ApiKey, dispatch_uid="api-key-purge")
    post_delete.connect(purge_answers_of_revoked_key, sender=ApiKey, dispatch_uid="api-key-purge")
