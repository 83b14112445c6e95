from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Editorial")

    def ready(self):
        from .api import signal_handlers as api_handlers
        from .editorial import revisions
        from .editorial import signal_handlers as editorial_handlers
        from .photos import signal_handlers as photo_handlers
        from .public import invalidation

        # In this order: a photo's renditions are made, then the desk's rules stamp the story,
        # then the pages showing what changed are purged.
        photo_handlers.register_signal_handlers()
        editorial_handlers.register_signal_handlers()
        invalidation.register_signal_handlers()
        api_handlers.register_signal_handlers()
        # A story's versions hold its bylines, tags and contributor credits.
        revisions.register()
