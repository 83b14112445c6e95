"""What search engines and social sites read: titles, descriptions, social images and
schema.org data (NewsArticle and its kinds, BreadcrumbList, WebSite, NewsMediaOrganization,
ProfilePage).

Each builder returns a plain dict, so a feature can add its own keys (a correction, say) before
the page writes it out with the `json_ld` filter.
"""

import json
import unicodedata
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from PIL import Image

from articles.models import Kind
from articles.models.richtext import plain_text
from articles.photos import renditions

from . import languages, policies

SCHEMA = "https://schema.org"
# Escapes that keep JSON inside <script> from closing it (as Django's json_script does).
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
# About how many characters of each search and social field are shown (the admin counts them).
RECOMMENDED_LENGTHS = {"seo_title": 60, "meta_description": 155, "social_headline": 70}
# Each kind of story as schema.org names it (the Trust Project's labels, as Google reads them).
SCHEMA_TYPES = {
    Kind.NEWS: "NewsArticle",
    Kind.ANALYSIS: "AnalysisNewsArticle",
    Kind.OPINION: "OpinionNewsArticle",
    Kind.REVIEW: "ReviewNewsArticle",
    Kind.SPONSORED: "AdvertiserContentArticle",
    Kind.LIVE: "LiveBlogPosting",
}


def site_name() -> str:
    return settings.NEWSROOM_SITE_NAME


def w3c_datetime(value) -> str:
    """A time as HTML's <time datetime> and W3C sitemaps want it: to the second, with offset."""
    return value.isoformat(timespec="seconds") if value else ""


def description(article) -> str:
    """The meta description, else the subheadline, else the opening of the body."""
    text = article.meta_description or article.subheadline or plain_text(article.body)
    # What Truncator gives a text no longer than its limit, without its costs (a translation
    # looked up for each call): most descriptions are short.
    short = unicodedata.normalize("NFC", str(text))
    return short if len(short) <= 200 else Truncator(text).chars(200)


def title(article) -> str:
    """The title in search results: the SEO title, else the headline."""
    return article.seo_title or article.headline


def social_title(article) -> str:
    return article.social_headline or article.headline


def social_photo(article):
    """The picture of the story's social card: its social image, else its lead photo."""
    return article.social_image or article.lead_photo


def site_url(request) -> str:
    """The site's address: NEWSROOM_SITE_URL, else the address this request came to."""
    return settings.NEWSROOM_SITE_URL or request.build_absolute_uri("/")


@lru_cache
def _logo_size(path: str) -> tuple[int, int] | None:
    found = finders.find(path)
    if not found:
        return None
    with Image.open(found) as logo:
        return logo.size


def logo_image() -> dict:
    """The publisher's logo (NEWSROOM_PUBLISHER_LOGO: a static file or a URL): url, size, alt."""
    path = settings.NEWSROOM_PUBLISHER_LOGO
    if "://" in path:
        return {"url": path, "alt": settings.NEWSROOM_SITE_NAME}
    image = {"url": static(path), "alt": settings.NEWSROOM_SITE_NAME}
    if size := _logo_size(path):
        image["width"], image["height"] = size
    return image


def logo(request) -> dict:
    """The publisher's logo as an ImageObject."""
    image = logo_image()
    data = {"@type": "ImageObject", "url": request.build_absolute_uri(image["url"])}
    if "width" in image:
        data["width"], data["height"] = image["width"], image["height"]
    return data


def publisher(request) -> dict:
    """The organisation, with the standards it publishes by (the policy pages editors wrote)."""
    data = {
        "@type": "NewsMediaOrganization",
        "@id": site_url(request) + "#publisher",
        "name": settings.NEWSROOM_SITE_NAME,
        "url": site_url(request),
        "logo": logo(request),
    }
    for page in policies.written(request):
        data[page["property"]] = request.build_absolute_uri(page["url"])
    return data


def photo_images(photo, request) -> list[dict]:
    """ImageObjects of a photo's 16:9, 4:3 and 1:1 crops, widest first; the largest full-frame
    rendition when the crops are not made yet."""
    items = list(photo.crops().values()) or photo.rendition_set("jpeg")[-1:]
    if not items:
        items = [photo.lasting_original()]
    return [
        {
            "@type": "ImageObject",
            "url": request.build_absolute_uri(item["url"]),
            "width": item["width"],
            "height": item["height"],
            **({"caption": photo.caption} if photo.caption else {}),
            **({"creditText": photo.credit.removeprefix("Photo: ")} if photo.credit else {}),
        }
        for item in items
    ]


def block_image(photo, request) -> dict:
    """An ImageObject of a photo shown in a story's blocks: its largest rendition, with size."""
    item = (photo.rendition_set("jpeg")[-1:] or [photo.lasting_original()])[0]
    return {
        "@type": "ImageObject",
        "url": request.build_absolute_uri(item["url"]),
        "width": item["width"],
        "height": item["height"],
        **({"caption": photo.caption} if photo.caption else {}),
        **({"creditText": photo.credit.removeprefix("Photo: ")} if photo.credit else {}),
    }


def social_image(photo) -> dict | None:
    """The social card's picture: the 16:9 crop (about 1.91:1 is what cards show), with its size."""
    if photo is None:
        return None
    item = (
        photo.crops().get("16x9")
        or renditions.pick(photo.rendition_set("jpeg"), 1280)
        or photo.lasting_original()
    )
    return {
        "url": item["url"],
        "width": item["width"],
        "height": item["height"],
        "alt": photo.alt_text,
    }


def listing_card(title: str, about: str, page) -> dict:
    """The social card of a section, topic or author page: the first story photo on the page."""
    photo = next((story.lead_photo for story in page if story.lead_photo), None)
    return {
        "title": title,
        "description": Truncator(about).chars(200),
        "image": social_image(photo),
    }


def videos(article, request, embeds, previews=None) -> list[dict]:
    """A schema.org VideoObject for each video the story embeds (a provider marked `video`).

    A block stores only the address the editor pasted. Its provider's title and thumbnail are
    asked for when the story is saved (editorial/embed_previews.py), never while rendering, and
    the thumbnail kept in our storage: `previews`, by address. Without one, `name` is the
    story's headline with the provider, and there is no `thumbnailUrl` rather than an invented
    one or the provider's image address (Google then gives the video no rich result, but the
    story's videos are still described). `uploadDate` is the story's publication: when the
    video was published here (oEmbed says nothing of the provider's date).
    """
    previews = previews or {}
    shown = [embed for embed in embeds if embed.provider.video]
    objects = []
    for n, embed in enumerate(shown, 1):
        which = f" {n} of {len(shown)}" if len(shown) > 1 else ""
        preview = previews.get(embed.url) or {}
        video = {
            "@type": "VideoObject",
            "name": preview.get("title") or f"{article.headline[:100]} ({embed.name} video{which})",
            "embedUrl": embed.player_url,
            "url": embed.url,
        }
        if preview.get("thumbnail"):
            video["thumbnailUrl"] = request.build_absolute_uri(
                default_storage.url(preview["thumbnail"])
            )
        if article.published_at:
            video["uploadDate"] = w3c_datetime(article.published_at)
        objects.append(video)
    return objects


def news_article(article, request, block_photos=(), embeds=(), previews=None) -> dict:
    """schema.org NewsArticle, or the type of its kind, for the article page's JSON-LD: `image`
    lists the lead photo's crops, then every photo the blocks show, with its size; `video` the
    videos its blocks embed."""
    url = request.build_absolute_uri(article.get_absolute_url())
    data = {
        "@context": SCHEMA,
        "@type": SCHEMA_TYPES.get(article.kind, "NewsArticle"),
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.headline[:110],
        "description": description(article),
        "inLanguage": languages.schema_language(),
        "image": [],
        "datePublished": w3c_datetime(article.published_at) or None,
        "dateModified": w3c_datetime(article.date_modified),
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": request.build_absolute_uri(author.get_absolute_url()),
            }
            for author in article.byline_authors
        ],
        "publisher": publisher(request),
        "keywords": [tag.name for tag in article.tags.all()],
    }
    if article.section is not None:
        data["articleSection"] = article.section.name
    if article.kind == Kind.SPONSORED and article.sponsor:
        data["sponsor"] = {"@type": "Organization", "name": article.sponsor}
    # Both read what the article page prefetched (public/views.py article_context).
    if corrections := list(article.corrections.all()):
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": correction.published_at.isoformat(),
            }
            for correction in corrections
        ]
    if contributors := list(article.contributors.all()):
        data["contributor"] = [
            {
                "@type": "Organization" if person.kind == "organization" else "Person",
                "name": person.name,
                "description": person.get_role_display(),
            }
            for person in contributors
        ]
    if article.lead_photo is not None:
        data["image"] = photo_images(article.lead_photo, request)
    data["image"] += [block_image(photo, request) for photo in block_photos]
    if video := videos(article, request, embeds, previews):
        data["video"] = video
    return data


def breadcrumbs(article, request) -> dict:
    """Home › section › story, as a BreadcrumbList."""
    trail = [(settings.NEWSROOM_SITE_NAME, reverse("articles:home"))]
    if article.section is not None:
        trail.append((article.section.name, article.section.get_absolute_url()))
    trail.append((article.headline, article.get_absolute_url()))
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": number,
                "name": name,
                "item": request.build_absolute_uri(path),
            }
            for number, (name, path) in enumerate(trail, start=1)
        ],
    }


def website(request) -> dict:
    """The home page's WebSite, with the site search as a SearchAction."""
    search = request.build_absolute_uri(reverse("articles:search"))
    return {
        "@context": SCHEMA,
        "@type": "WebSite",
        "name": settings.NEWSROOM_SITE_NAME,
        "url": site_url(request),
        "inLanguage": languages.schema_language(),
        "publisher": {"@id": site_url(request) + "#publisher"},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }


def organization(request) -> dict:
    return {"@context": SCHEMA, **publisher(request)}


def profile_page(author, request) -> dict:
    """An author page: a ProfilePage about a Person."""
    url = request.build_absolute_uri(author.get_absolute_url())
    person = {"@type": "Person", "name": author.name, "url": url}
    if author.bio:
        person["description"] = Truncator(author.bio).chars(300)
    return {"@context": SCHEMA, "@type": "ProfilePage", "url": url, "mainEntity": person}


def json_ld(data: dict | list[dict]) -> SafeString:
    """One <script type="application/ld+json"> per object."""
    scripts = []
    for item in data if isinstance(data, list) else [data]:
        text = json.dumps(item, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
        scripts.append(f'<script type="application/ld+json">{text}</script>')
    return mark_safe("\n".join(scripts))
