from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from articles.public.originals import photo_original

from . import accounts, views

admin.site.site_header = format_lazy(
    gettext_lazy("{site_name} back office"), site_name=settings.NEWSROOM_SITE_NAME
)
admin.site.site_title = settings.NEWSROOM_SITE_NAME
admin.site.index_title = gettext_lazy("Editorial desk")

handler404 = "newsroom.views.page_not_found"
handler500 = "newsroom.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    *accounts.urlpatterns,
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("comments/", include("comments.urls")),
    path("api/v1/", include("articles.api.urls")),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    # Photos are served by the app unless a proxy or object storage takes over.
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.insert(
        0,
        re_path(rf"^{media_prefix}(?P<path>.*)$", views.media, name="media"),
    )
# Before the media files: a lasting address for a private original (articles.models.Photo.lasting_original).
urlpatterns.insert(0, path("media/original/<int:pk>/", photo_original, name="photo_original"))
