"""The lasting address of a photo's original (Photo.lasting_original): the only public way to an
uploaded file, for photos a published story shows. It reads which stories are public, so it lives
with the reader site rather than in the photo layer below the models."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from articles import caching
from articles.models import Article, Photo
from articles.photos.storage import send_original

from .invalidation import story_key

# Kept by browsers and caches for minutes (a bucket's signed address lasts ten): a story taken
# down, or a photo replaced, purges the stories' keys the answer carries as well.
ORIGINAL_SECONDS = 300


@require_safe
def photo_original(request, pk):
    """The original of a photo a published story shows (lead, social image or in its blocks): the
    file, or a redirect to a freshly signed address where originals are in a bucket. Any other
    photo (a draft's, a scheduled story's, an unused upload) is not found."""
    showing = list(Article.objects.published().showing(pk).values_list("pk", flat=True))
    if not showing:
        raise Http404("No such photo.")
    photo = get_object_or_404(Photo, pk=pk)
    response = send_original(
        request, photo.image.name, cache_control=f"public, max-age={ORIGINAL_SECONDS}"
    )
    response["xkey"] = " ".join([*(story_key(story) for story in showing), caching.EVERYTHING])
    return response
