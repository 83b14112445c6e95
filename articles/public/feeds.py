"""RSS: the latest stories, and the latest in a section, under a tag or by an author.

Items carry a guid that never changes for the life of a story (a `tag:` URI built from its id,
not its address, which moves with a slug or section change), the lead photo as Media RSS
`media:content` with its caption and credit, the story's blocks as `content:encoded` (photos
as figures with their captions and credits, embeds as plain links), and the channel the
publisher's logo.
"""

import copy
import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.contrib.syndication.views import Feed, add_domain
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Enclosure
from django.utils.translation import gettext as _

from articles.caching import shows
from articles.models import Article, Correction, Section
from articles.models.kept_queries import KeptQuery

from . import languages, page_queries, seo
from .blocks import many_page_blocks
from .feed_queries import BYLINES, FEED_LENGTH, ITEMS, TAGS, linked_stories
from .feed_xml import NewsFeedGenerator
from .invalidation import author_key, keys_for_stories, story_key

RARE_ITEM_ATTRIBUTES = ("author_email", "author_link", "comments", "copyright")


def story_guid(article, request, host: str | None = None) -> str:
    """`tag:<host>,<day the story was created>:story:<id>`: unique, and unchanged by edits.
    `host`: the site's host name, when the caller has already worked it out."""
    host = host or urlsplit(seo.site_url(request)).hostname or "localhost"
    return f"tag:{host},{article.created_at:%Y-%m-%d}:story:{article.pk}"


@functools.cache
def _item_content():
    """feed_content.html's `content` macro, made once per process: each item's content is a
    call, not a template render of its own (a new context and output each)."""
    template = get_template("articles/feed_content.html").template
    return template.make_module({"blocks": ()}).content


class LatestStoriesFeed(Feed):
    feed_type = NewsFeedGenerator
    # The field of a story that names the feed's object (ITEMS); None: every public story.
    listed_by = None

    @property
    def language(self):
        return languages.content_language()

    def __call__(self, request, *args, **kwargs):
        # A copy per request: image enclosures need the request to make absolute URLs.
        feed = copy.copy(self)
        feed.request = request
        response = Feed.__call__(feed, request, *args, **kwargs)
        # The response holds an empty piece before the feed's: the WSGI server sends each piece
        # on its own, so one piece is one send (and a smaller copy in the page cache).
        response.content = response.content
        return response

    def get_feed(self, obj, request):
        """Django's feed, with each item's attributes asked of this feed's item_* methods
        directly: Django looks each one up and inspects its signature, for every attribute of
        every item. A feed with title or description templates is left to Django."""
        if self.title_template is not None or self.description_template is not None:
            return super().get_feed(obj, request)
        stories = self.items(obj)
        self.items = ()  # Django's feed of the channel alone
        try:
            feed = super().get_feed(obj, request)
        finally:
            del self.items
        domain, secure = get_current_site(request).domain, request.is_secure()
        self.site_host = urlsplit(seo.site_url(request)).hostname or "localhost"
        # What a subclass may add that this feed does not say: asked as Django asks it.
        rare = [name for name in RARE_ITEM_ATTRIBUTES if hasattr(self, f"item_{name}")]
        for item in stories:
            author_name = self.item_author_name(item)
            more = {name: self._get_dynamic_attr(f"item_{name}", item) for name in rare}
            if author_name is None:
                more.update(author_email=None, author_link=None)
            feed.add_item(
                title=self.item_title(item),
                link=add_domain(domain, self.item_link(item), secure),
                description=self.item_description(item),
                unique_id=self.item_guid(item),
                unique_id_is_permalink=self.item_guid_is_permalink,
                enclosures=self.item_enclosures(item),
                pubdate=self.item_pubdate(item),
                updateddate=self.item_updateddate(item),
                author_name=author_name,
                categories=self.item_categories(item),
                **more,
                **self.item_extra_kwargs(item),
            )
        return feed

    def title(self, obj=None):
        return settings.NEWSROOM_SITE_NAME

    def link(self, obj=None):
        return reverse("articles:home")

    def description(self, obj=None):
        return _("The latest stories from %(site_name)s.") % {
            "site_name": settings.NEWSROOM_SITE_NAME
        }

    def newest(self, obj=None) -> list[Article]:
        """The feed's stories: the newest public ones (of `obj`, the feed's subject)."""
        subject = {} if obj is None else {"id": obj.pk}
        return ITEMS[self.listed_by].rows(at=timezone.now(), **subject)

    def subject_with_stories(self, query: KeptQuery, slug: str):
        """The subject at `slug` (by `query`, page_queries.TAG or AUTHOR) with its feed's
        stories, read once; 404 without any: as on its page, a topic or author only unpublished
        stories have could give those stories away."""
        subject = page_queries.by_slug(query, slug)
        subject.feed_stories = self.newest(subject)
        if not subject.feed_stories:
            raise Http404(f"No public stories for {slug}.")
        return subject

    def items(self, obj=None):
        stories = getattr(obj, "feed_stories", None)
        stories = self.newest(obj) if stories is None else stories
        ids = [story.pk for story in stories]
        authors, names = {}, {}
        for story_id, author_id, name in BYLINES.rows(ids=ids):
            authors.setdefault(story_id, []).append(author_id)
            names.setdefault(story_id, []).append(name)
        tags = {}
        for story_id, name in TAGS.rows(ids=ids):
            tags.setdefault(story_id, []).append(name)
        keys = keys_for_stories(stories)  # a story taken down drops the feed's copy
        keys.update(author_key(pk) for story_id in authors for pk in authors[story_id])
        shows(self.request, keys)
        # Every item's block photos (in its row) and linked stories (one query for the feed).
        shown = many_page_blocks(stories, linked_by_id=linked_stories)
        for story, blocks in zip(stories, shown, strict=True):
            story.feed_blocks = blocks
            story.feed_author_names = names.get(story.pk, [])
            story.feed_tag_names = tags.get(story.pk, [])
        return stories

    def item_content(self, item) -> str:
        """The story's blocks as feed readers show them: absolute addresses, no script."""
        absolute = self.request.build_absolute_uri
        blocks = item.feed_blocks.blocks
        for block in blocks:
            for shown in [block, *block.get("items", ())]:
                if "photo" in shown and not isinstance(shown["photo"], int):
                    photo = shown["photo"]
                    image = photo.rendition(960) or photo.lasting_original()
                    shown["image"] = {**image, "url": absolute(image["url"])}
            if block["type"] == "story":
                block["url"] = absolute(block["story"].get_absolute_url())
        # A plain string: the macro's Markup would escape what the XML writer replaces.
        return str(_item_content()(blocks)).strip()

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return seo.description(item)

    def feed_extra_kwargs(self, obj):
        return {"image": self.request.build_absolute_uri(seo.logo_image()["url"])}

    def item_guid(self, item):
        return story_guid(item, self.request, getattr(self, "site_host", None))

    item_guid_is_permalink = False

    def _feed_photo(self, item) -> dict | None:
        """The lead photo's largest JPEG (up to 1280 wide): the item's media and its enclosure,
        worked out once per item."""
        if not hasattr(item, "_feed_photo"):
            photo = item.lead_photo
            item._feed_photo = photo and (
                photo.rendition(1280) or {**photo.lasting_original(), "bytes": photo.image.size}
            )
        return item._feed_photo

    def item_extra_kwargs(self, item):
        extra = {"content": self.item_content(item)}
        largest = self._feed_photo(item)
        if largest is None:
            return extra
        photo = item.lead_photo
        media = {
            "url": self.request.build_absolute_uri(largest["url"]),
            "width": largest["width"],
            "height": largest["height"],
            "caption": photo.caption,
            "credit": " / ".join(name for name in (photo.photographer, photo.agency) if name),
        }
        return {**extra, "media": media}

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.date_modified

    def item_author_name(self, item):
        return ", ".join(item.feed_author_names) or None

    def item_categories(self, item):
        # The kind's label first (Opinion, Sponsored by …), as it stands above the headline.
        names = [item.kind_label] if item.kind_label else []
        names += [item.section.name] if item.section else []
        return names + item.feed_tag_names

    def item_enclosures(self, item):
        url = self.item_enclosure_url(item)
        if not url:
            return []
        length = str(self.item_enclosure_length(item))
        return [
            Enclosure(url=str(url), length=length, mime_type=self.item_enclosure_mime_type(item))
        ]

    def item_enclosure_url(self, item):
        largest = self._feed_photo(item)
        return largest and self.request.build_absolute_uri(largest["url"])

    def item_enclosure_length(self, item):
        return self._feed_photo(item)["bytes"]

    def item_enclosure_mime_type(self, item):
        return "image/jpeg"


class SectionFeed(LatestStoriesFeed):
    listed_by = "section"

    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, obj=None):
        return f"{obj.name} – {settings.NEWSROOM_SITE_NAME}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def description(self, obj=None):
        return _("The latest %(section)s stories from %(site_name)s.") % {
            "section": obj.name,
            "site_name": settings.NEWSROOM_SITE_NAME,
        }


class TagFeed(LatestStoriesFeed):
    listed_by = "tags"

    def get_object(self, request, slug):
        return self.subject_with_stories(page_queries.TAG, slug)

    def title(self, obj=None):
        return f"{obj.name} – {settings.NEWSROOM_SITE_NAME}"

    def link(self, obj=None):
        return reverse("articles:tag", kwargs={"slug": obj.slug})

    def description(self, obj=None):
        return _("Stories about %(topic)s from %(site_name)s.") % {
            "topic": obj.name,
            "site_name": settings.NEWSROOM_SITE_NAME,
        }


class CorrectionsFeed(Feed):
    """The latest corrections, each linking to the corrected story."""

    language = LatestStoriesFeed.language

    def title(self):
        return _("%(site_name)s: corrections") % {"site_name": settings.NEWSROOM_SITE_NAME}

    def link(self):
        return reverse("articles:corrections")

    def description(self):
        return _("Corrections to stories published by %(site_name)s.") % {
            "site_name": settings.NEWSROOM_SITE_NAME
        }

    def __call__(self, request, *args, **kwargs):
        feed = copy.copy(self)  # a copy per request: items() names the stories it shows
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def items(self):
        corrections = list(
            Correction.objects.published()
            .select_related("article__section")
            .order_by("-published_at", "-pk")[:FEED_LENGTH]
        )
        shows(self.request, {story_key(correction.article_id) for correction in corrections})
        return corrections

    def item_title(self, item):
        return _("Correction: %(headline)s") % {"headline": item.article.headline}

    def item_description(self, item):
        return item.text

    def item_pubdate(self, item):
        return item.published_at

    def item_link(self, item):
        return item.get_absolute_url()


class AuthorFeed(LatestStoriesFeed):
    listed_by = "authors"

    def get_object(self, request, slug):
        return self.subject_with_stories(page_queries.AUTHOR, slug)

    def title(self, obj=None):
        return f"{obj.name} – {settings.NEWSROOM_SITE_NAME}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def description(self, obj=None):
        return _("Stories by %(author)s for %(site_name)s.") % {
            "author": obj.name,
            "site_name": settings.NEWSROOM_SITE_NAME,
        }
