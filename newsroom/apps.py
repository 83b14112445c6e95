from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    """The wiring package is an app too, for work that spans articles and comments."""

    name = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        from . import proxies, shared_cache, translations  # noqa: F401  (register their checks)
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
