import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

django_application = get_wsgi_application()

# Imported once Django is set up. Plain anonymous reads of cached pages, and API reads with a
# valid key of kept answers (articles/api/served.py), are answered before
# Django handles the request (see the module); surrogate keys reach only a cache that purges.
from articles.api.served import ServedAnswers  # noqa: E402
from articles.caching.served_copies import ServedCopies  # noqa: E402
from newsroom.shared_cache import SurrogateKeysForPurgingCachesOnly  # noqa: E402

application = SurrogateKeysForPurgingCachesOnly(ServedAnswers(ServedCopies(django_application)))
