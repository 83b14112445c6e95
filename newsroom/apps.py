from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The wiring package is an app too, for work that spans articles and comments."""

    name = "newsroom"

    def ready(self):
        from . import proxies, shared_cache, translations  # noqa: F401  (register their checks)
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
