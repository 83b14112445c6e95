from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The wiring package is an app too, for work that spans articles and comments."""

    name = "newsroom"

    def ready(self):
        from . import proxies  # noqa: F401  (registers its system check)
