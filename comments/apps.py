from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Reader comments")

    def ready(self):
        from . import caching, quiet_hours, signal_handlers

        caching.register_key_prefix()
        signal_handlers.register_signal_handlers()
        checks.register(quiet_hours.check_quiet_hours, checks.Tags.compatibility)
