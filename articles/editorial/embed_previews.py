"""A video's title and thumbnail from its provider's oEmbed endpoint, asked once the story that
embeds it is saved (signal_handlers.fetch_embed_previews, after the commit), never while a page
renders: readers' pages name only our own copy of the thumbnail, and only in structured data.

The thumbnail is verified and re-encoded without metadata like any upload, and kept in our
storage. A provider that does not answer, or answers nonsense, leaves no preview: the video is
then described with what the story has (public/seo.py videos), and asked about again at the
story's next save.
"""

import json
import logging
import urllib.error
import urllib.request
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from articles.models import EmbedPreview
from articles.models.embeds import recognise
from articles.photos.images import reencode

logger = logging.getLogger(__name__)

MAX_ANSWER_BYTES = 64 * 1024
MAX_THUMBNAIL_BYTES = 5 * 1024 * 1024


def _get(url: str, limit: int) -> bytes:
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"not a web address: {url[:80]}")
    request = urllib.request.Request(url, headers={"User-Agent": "Newsroom oEmbed"})
    timeout = settings.NEWSROOM_OEMBED_TIMEOUT_SECONDS
    with urllib.request.urlopen(request, timeout=timeout) as response:
        data = response.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"more than {limit} bytes from {url[:80]}")
    return data


def fetch(url: str) -> EmbedPreview | None:
    """The preview of the video at `url` (an embed block's address), asked of its provider
    and stored; None if it is not a video, its provider has no endpoint, or it did not answer."""
    try:
        embed = recognise(url)
    except ValidationError:
        return None
    endpoint = settings.NEWSROOM_OEMBED_ENDPOINTS.get(embed.provider.key)
    if not embed.provider.video or not endpoint:
        return None
    try:
        asking = f"{endpoint}?{urlencode({'url': url, 'format': 'json'})}"
        answer = json.loads(_get(asking, MAX_ANSWER_BYTES))
        if not isinstance(answer, dict):
            raise ValueError("the answer is not a JSON object")
        title = answer.get("title") if isinstance(answer.get("title"), str) else ""
        thumbnail = None
        if isinstance(answer.get("thumbnail_url"), str):
            picture = _get(answer["thumbnail_url"], MAX_THUMBNAIL_BYTES)
            thumbnail = reencode(ContentFile(picture, name=f"{embed.provider.key}.jpg"))
    except (OSError, ValueError, ValidationError, urllib.error.URLError) as error:
        logger.warning("No preview of %s from %s: %s", url, endpoint, error)
        return None
    preview, _ = EmbedPreview.objects.get_or_create(url=embed.url)
    preview.title = " ".join(title.split())[:300]
    if thumbnail is not None:
        if preview.thumbnail:
            preview.thumbnail.delete(save=False)
        preview.thumbnail.save(thumbnail.name, thumbnail, save=False)
    preview.save()
    return preview


def fetch_missing(blocks: list[dict]) -> list[EmbedPreview]:
    """Previews of the videos `blocks` embed that have none yet."""
    if not settings.NEWSROOM_EMBED_PREVIEWS:
        return []
    wanted = [block["url"] for block in blocks or () if block.get("type") == "embed"]
    known = set(EmbedPreview.objects.filter(url__in=wanted).values_list("url", flat=True))
    fetched = (fetch(url) for url in dict.fromkeys(wanted) if url not in known)
    return [preview for preview in fetched if preview is not None]
