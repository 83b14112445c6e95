from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Reader comments"

    def ready(self):
        from . import (
            quiet_hours,  # noqa: F401  (registers its system check)
            signals,  # noqa: F401
        )
