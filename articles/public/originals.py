"""The lasting address of a photo's original (Photo.lasting_original), for photos without
renditions on private storage. It reads which stories are public, so it lives with the reader
site rather than in the photo layer below the models."""

from django.core.files.storage import default_storage
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from articles.models import Article, Photo


@require_safe
def photo_original(request, pk):
    """The original of a photo a published story shows, sent on to a freshly signed address: what
    pages and feeds link while the photo has no renditions (Photo.lasting_original)."""
    published = Article.objects.published()
    shown = Photo.objects.filter(
        Exists(published.filter(lead_photo=OuterRef("pk")))
        | Exists(published.filter(social_image=OuterRef("pk")))
    )
    response = redirect(get_object_or_404(shown, pk=pk).image.url)
    # Kept by browsers and caches for half as long as the signature lasts.
    expire = getattr(default_storage, "querystring_expire", 600)
    patch_cache_control(response, public=True, max_age=expire // 2)
    return response
