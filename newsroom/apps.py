from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The wiring package is an app too, for work that spans articles and comments."""

    name = "newsroom"

    def ready(self):
        from . import proxies, shared_cache  # noqa: F401  (register their system checks)
