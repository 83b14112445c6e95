"""A live story's entries as readers get them: on its page (pinned first, key events, then
newest first, ENTRIES_PER_PAGE a page, older pages at ?page=N without JavaScript) and at its poll
address, `<story address>live.json`: one fixed address for every reader, so Varnish answers it
and the story's purge (public/invalidation.py: story-<id>) refreshes it with the page.

Whatever the number of entries, a page costs two queries: the pinned entry and the key events in
one, the page's entries (with how many there are, counted by a window in the same query) in the
other; plus, only when entries show photos or story cards, their one query each (blocks.py).
"""

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, Window
from django.http import Http404, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from articles.caching import conditional, reader_page, shows
from articles.models import Article, LiveEntry
from articles.models.live import ENTRIES_PER_PAGE, POLLED_ENTRIES

from .blocks import PageBlocks, many_page_blocks
from .invalidation import photo_key, story_key
from .seo import w3c_datetime

# The newest entries the JSON-LD lists as liveBlogUpdate.
STRUCTURED_UPDATES = 10


def page_number(request) -> int:
    """The `page` the reader asked for: 1 when none; anything that is not a page is a 404 (so
    that no address that is not a page is rendered and kept)."""
    value = request.GET.get("page")
    if value is None:
        return 1
    if not value.isdigit() or not 1 <= int(value) <= 10_000:
        raise Http404("No such page.")
    return int(value)


@dataclass
class LivePage:
    story: Article
    number: int
    entries: list[LiveEntry]
    pinned: LiveEntry | None
    key_events: list[LiveEntry]
    total: int
    blocks: dict[int, PageBlocks] = field(default_factory=dict)

    @property
    def poll_seconds(self) -> int:
        return settings.NEWSROOM_LIVE_POLL_SECONDS

    @property
    def is_open(self) -> bool:
        return self.story.coverage_ended_at is None

    @property
    def new_update_labels(self) -> str:
        """The button's words for 1 to POLLED_ENTRIES new updates, in the page's language, for
        static/articles/live.js (a reader page loads no translation catalog; plurals differ)."""
        return json.dumps(
            [
                ngettext("%(count)s new update", "%(count)s new updates", n) % {"count": n}
                for n in range(1, POLLED_ENTRIES + 1)
            ],
            ensure_ascii=False,
        )

    @property
    def has_next(self) -> bool:
        return self.number * ENTRIES_PER_PAGE < self.total

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def newest(self) -> list[LiveEntry]:
        """The newest entries shown, newest first (pinned or not): the JSON-LD's updates."""
        shown = [*self.entries, *([self.pinned] if self.pinned else [])]
        return sorted(shown, key=lambda e: (e.published_at, e.pk), reverse=True)

    @property
    def photos(self) -> list:
        return [photo for page in self.blocks.values() for photo in page.photos]

    @property
    def stories(self) -> list:
        return [story for page in self.blocks.values() for story in page.stories]


def live_page(story: Article, number: int) -> LivePage | None:
    """Page `number` of a live story's entries, with their blocks ready; None for a story that
    is not live (its page has no entries). A page past the last is a 404."""
    if story.kind != Article.Kind.LIVE:
        if number != 1:
            raise Http404("No such page.")
        return None
    public = LiveEntry.objects.filter(article=story).public().select_related("author")
    flagged = list(public.filter(Q(pinned=True) | Q(key_event=True)).newest_first())
    pinned = next((entry for entry in flagged if entry.pinned), None)
    start = (number - 1) * ENTRIES_PER_PAGE
    entries = list(
        public.exclude(pinned=True)
        .annotate(total=Window(Count("pk")))
        .newest_first()[start : start + ENTRIES_PER_PAGE]
    )
    if number > 1 and not entries:
        raise Http404("No such page.")
    page = LivePage(
        story=story,
        number=number,
        entries=entries,
        pinned=pinned if number == 1 else None,
        key_events=[entry for entry in flagged if entry.key_event],
        total=entries[0].total if entries else 0,
    )
    shown = [*([page.pinned] if page.pinned else []), *entries]
    for entry, blocks in zip(shown, many_page_blocks(shown, entries_of=story), strict=True):
        entry.page_blocks = page.blocks[entry.pk] = blocks  # for the template
    return page


def structured_data(page: LivePage, request) -> dict:
    """What LiveBlogPosting adds to the story's NewsArticle fields (seo.news_article): when the
    coverage started and ended, and the newest entries as BlogPostings."""
    story = page.story
    data = {"coverageStartTime": w3c_datetime(story.published_at) or None}
    if story.coverage_ended_at is not None:
        data["coverageEndTime"] = w3c_datetime(story.coverage_ended_at)
    url = request.build_absolute_uri(story.get_absolute_url())
    data["liveBlogUpdate"] = [
        {
            "@type": "BlogPosting",
            "@id": f"{url}#{entry.anchor}",
            "url": f"{url}#{entry.anchor}",
            "headline": (entry.headline or str(entry))[:110],
            "datePublished": w3c_datetime(entry.published_at),
            "articleBody": entry.plain_text,
            **({"author": {"@type": "Person", "name": entry.author.name}} if entry.author else {}),
        }
        for entry in page.newest[:STRUCTURED_UPDATES]
    ]
    return data


def render_entry(entry: LiveEntry, blocks: PageBlocks, request, *, story: Article) -> str:
    return render_to_string(
        "includes/live_entry.html",
        {"entry": entry, "page_blocks": blocks, "article": story},
        request,
    )


def poll_answer(request, story: Article) -> dict:
    """What the poll address answers: whether the coverage is open, and the newest entries,
    each rendered as on the page. The reader's script inserts those it does not have."""
    entries = list(
        LiveEntry.objects.filter(article=story)
        .public()
        .select_related("author")
        .newest_first()[:POLLED_ENTRIES]
    )
    blocks = many_page_blocks(entries, entries_of=story)
    return {
        "open": story.coverage_ended_at is None,
        "coverage_ended_at": w3c_datetime(story.coverage_ended_at) or None,
        "entries": [
            {
                "id": entry.pk,
                "published_at": w3c_datetime(entry.published_at),
                "pinned": entry.pinned,
                "key_event": entry.key_event,
                "html": render_entry(entry, page_blocks, request, story=story),
            }
            for entry, page_blocks in zip(entries, blocks, strict=True)
        ],
        "photos": [photo.pk for page_blocks in blocks for photo in page_blocks.photos],
    }


# Browsers keep the poll answer this long at most; Varnish keeps it until the story is purged.
POLL_BROWSER_SECONDS = 5


@require_safe
@reader_page(browser_max_age=POLL_BROWSER_SECONDS)
def updates(request, section, slug):
    """The poll address of a live story: the same for every reader (no cursor: each reader's
    script compares the entries with those it shows)."""
    story = (
        Article.objects.published()
        .filter(kind=Article.Kind.LIVE, section__slug=section, slug=slug)
        .select_related("section")
        .first()
    )
    if story is None:
        raise Http404("No such live story.")
    answer = poll_answer(request, story)
    shows(request, {story_key(story.pk), *(photo_key(pk) for pk in answer.pop("photos"))})
    response = JsonResponse(answer)
    return conditional(request, response, last_modified=story.date_modified)
