"""IPTC ninjs 2.1 (News in JSON, https://iptc.org/standards/ninjs/): the story as wire clients
read it, validated in tests against IPTC's schema shipped in api/schemas/.

ninjs 2.x names: `by` (the byline), `people` (the authors), `subjects` (section and topics),
`associations` (the lead photo, a `picture` with its renditions), `infosources` (contributor
credits), `descriptions` (corrections), `embargoed` and `pubstatus`. `located` is left out: a
story has no dateline to put there.
"""

from urllib.parse import urlsplit

from django.conf import settings
from rest_framework.renderers import JSONRenderer

from articles.models import Article
from articles.models.contributors import join_names
from articles.public import languages, seo
from articles.public.feeds import story_guid

from .blocks import story_html
from .serializers import HAS_KIND, absolute

VERSION = "2.1"
SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json"
HAS_EMBARGO = any(field.name == "embargo_until" for field in Article._meta.get_fields())


class NinjsRenderer(JSONRenderer):
    media_type = "application/ninjs+json"
    format = "ninjs"


def photo_guid(photo, request) -> str:
    """Like a story's guid (public/feeds.py): `tag:<host>,<day uploaded>:photo:<id>`."""
    host = urlsplit(seo.site_url(request)).hostname or "localhost"
    return f"tag:{host},{photo.uploaded_at:%Y-%m-%d}:photo:{photo.pk}"


def _time(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _photo(photo, request) -> dict:
    renditions = [
        {
            "name": f"{fmt}-{item['width']}",
            "href": absolute(request, item["url"]),
            "contenttype": f"image/{fmt}",
            "width": item["width"],
            "height": item["height"],
            **({"sizeinbytes": item["bytes"]} if item.get("bytes") else {}),
        }
        for fmt in ("jpeg", "webp")
        for item in photo.rendition_set(fmt)
    ]
    renditions += [
        {
            "name": f"crop-{ratio}",
            "href": absolute(request, crop["url"]),
            "contenttype": "image/jpeg",
            "width": crop["width"],
            "height": crop["height"],
        }
        for ratio, crop in photo.crops().items()
    ]
    if not renditions:
        original = photo.lasting_original()
        renditions.append(
            {
                "name": "original",
                "href": absolute(request, original["url"]),
                **{k: original[k] for k in ("width", "height") if original[k]},
            }
        )
    association = {
        "name": "leadphoto",
        "uri": photo_guid(photo, request),
        "type": "picture",
        "representationtype": "full",
        "headlines": [{"value": photo.caption}] if photo.caption else [],
        "descriptions": [{"role": "alt", "value": photo.alt_text}] if photo.alt_text else [],
        "renditions": renditions,
    }
    if photo.photographer:
        association["by"] = photo.photographer
    if photo.agency:
        association["infosources"] = [{"name": photo.agency, "role": "source"}]
    if photo.credit:
        association["copyrightnotice"] = photo.credit
    return {key: value for key, value in association.items() if value != []}


def story(article: Article, request) -> dict:
    """One story as a ninjs 2.1 news item."""
    authors = article.byline_authors
    headlines = [{"role": "main", "value": article.headline}]
    if article.subheadline:
        headlines.append({"role": "sub", "value": article.subheadline})
    if article.kicker:
        headlines.append({"role": "kicker", "value": article.kicker})
    subjects = [
        {
            "name": article.section.name,
            "rel": "section",
            "literal": article.section.slug,
            "uri": absolute(request, article.section.get_absolute_url()),
        }
    ]
    subjects += [
        {
            "name": tag.name,
            "rel": "topic",
            "literal": tag.slug,
            "uri": absolute(request, f"/tag/{tag.slug}/"),
        }
        for tag in article.tags.all()
    ]
    item = {
        "uri": story_guid(article, request),
        "standard": {"name": "ninjs", "version": VERSION, "schema": SCHEMA_URI},
        "type": "composite" if article.lead_photo_id else "text",
        "representationtype": "full",
        "profile": "newsroom-story",
        "version": str(int(article.modified_at.timestamp())),
        "firstcreated": _time(article.published_at),
        "versioncreated": _time(article.modified_at),
        "pubstatus": "usable",
        "language": languages.content_language(),
        "copyrightholder": settings.NEWSROOM_SITE_NAME,
        "slugline": article.slug,
        "headlines": headlines,
        "by": join_names([author.name for author in authors]) if authors else "",
        "people": [
            {
                "name": author.name,
                "rel": "author",
                "literal": author.slug,
                "uri": absolute(request, author.get_absolute_url()),
            }
            for author in authors
        ],
        "subjects": subjects,
        "bodies": [{"role": "main", "contenttype": "text/html", "value": story_html(article)}],
        "descriptions": [
            {"role": "correction", "value": f"{_time(c.published_at)} {c.text}"}
            for c in article.corrections.all()
        ],
        "infosources": [{"name": c.name, "role": c.role} for c in article.contributors.all()],
        "altids": [
            {"role": "id", "value": str(article.pk)},
            {"role": "url", "value": absolute(request, article.get_absolute_url())},
        ],
    }
    if HAS_KIND:
        item["genres"] = [{"name": article.get_kind_display(), "literal": article.kind}]
    if HAS_EMBARGO and article.embargo_until:
        item["embargoed"] = _time(article.embargo_until)
    if article.lead_photo is not None:
        item["associations"] = [_photo(article.lead_photo, request)]
    return {key: value for key, value in item.items() if value not in ("", [])}
