"""The benchmark's floor: a bare Django view, no middleware, no database, no templates.

`make bench` serves it with the same gunicorn settings as the site and measures it in the same
run, so each page's throughput can be read as a share of what Django itself can do on this
machine at that moment. Its own settings: importing it configures Django, so it never runs
inside the site's process (gunicorn newsroom.floor:application).
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-floor-has-no-secrets",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
    USE_I18N=False,
)


def floor(request):
    return HttpResponse("ok\n", content_type="text/plain")


urlpatterns = [path("", floor)]

application = get_wsgi_application()
