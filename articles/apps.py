from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Editorial"

    def ready(self):
        # Connect the receivers; register stories (with bylines, tags, credits) for versions.
        from . import revisions, signals  # noqa: F401
