"""A story's blocks made ready for its page, its feed item and its structured data.

Whatever the number of blocks, a story page asks nothing more for them: the photos of every photo
and gallery block come in the story's own row (ArticleQuerySet.with_block_photos), and the
stories of every story card in the query of the related stories the page asks for anyway
(with_linked_stories; their bylines join the page's one bylines query). A feed's stories carry
their block photos in their rows too (articles/public/feeds.py), and their linked stories come in
one more query. A photo deleted since, or a linked story that is no longer public, drops out:
readers never see a broken figure or a link to a page that is gone.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField, Value
from django.utils.text import slugify

from articles.models import Article, Photo
from articles.models.blocks import photo_ids, story_ids
from articles.models.embeds import recognise

# The <img sizes> of a photo block by its size: column width, wide, the page's full width.
PHOTO_SIZES = {
    "column": "(min-width: 60rem) 44rem, 100vw",
    "wide": "(min-width: 75rem) 60rem, 100vw",
    "full": "100vw",
}


@dataclass
class PageBlocks:
    blocks: list[dict]
    photos: list[Photo] = field(default_factory=list)  # every photo shown, in order, each once
    stories: list[Article] = field(default_factory=list)  # story cards shown
    headings: list[dict] = field(default_factory=list)  # {"id", "text"}: the contents
    embeds: list = field(default_factory=list)  # articles.models.embeds.Embed
    # What providers said of the videos (EmbedPreview), by embed address, when the story's
    # query carried it (ArticleQuerySet.with_embed_previews).
    previews: dict = field(default_factory=dict)

    @property
    def has_embeds(self) -> bool:
        return bool(self.embeds)


def _anchor(text: str, taken: set[str]) -> str:
    base = slugify(text, allow_unicode=True)[:60] or "section"
    anchor, n = base, 2
    while anchor in taken:
        anchor, n = f"{base}-{n}", n + 1
    taken.add(anchor)
    return anchor


def linked_stories_of(story: Article):
    """The public stories `story`'s cards link to, as story cards show them."""
    wanted = story_ids(story.blocks)
    return (
        Article.objects.published()
        .filter(pk__in=wanted)
        .select_related("section", "lead_photo")
        .without_words()
    )


def with_linked_stories(cards, story: Article) -> tuple[list[Article], dict[int, Article]]:
    """The stories of `cards` (a sliced queryset of story cards the page shows anyway, selecting
    their section and lead photo) and, in the same query (UNION ALL), the public stories that
    `story`'s cards link to: the list and the linked stories by id."""
    if not story_ids(story.blocks):
        return list(cards or ()), {}
    linked = linked_stories_of(story).order_by()
    if cards is None:
        return [], linked.in_bulk()
    if not connection.features.supports_slicing_ordering_in_compound:
        # SQLite (the quickstart) cannot union a sliced, ordered query: two queries there.
        return list(cards), linked.in_bulk()
    # The two halves need the same columns: the linked ones get the cards' annotations empty.
    blanks = {
        name: Value(None, output_field=expression.output_field)
        for name, expression in cards.query.annotations.items()
    }
    marked = lambda qs, value: qs.annotate(linked_card=Value(value, BooleanField()))  # noqa: E731
    both = marked(cards, False).union(marked(linked.annotate(**blanks), True), all=True)
    rows = list(both.order_by("linked_card", *cards.query.order_by))
    return [row for row in rows if not row.linked_card], {r.pk: r for r in rows if r.linked_card}


def _block_photos(stories: list[Article]) -> dict:
    """The photos `stories`' blocks show, by id: read from the stories' own rows when their
    query carried them (with_block_photos), else one query when some block shows a photo."""
    if all(hasattr(story, "block_photo_rows") for story in stories):
        photos = (Photo.from_json(row) for story in stories for row in story.block_photo_rows)
        return {photo.pk: photo for photo in photos}
    wanted_photos = {pk for story in stories for pk in photo_ids(story.blocks)}
    return Photo.objects.in_bulk(wanted_photos) if wanted_photos else {}


def _shown_by(stories: list, owner: Article | None = None, linked_by_id=None) -> tuple[dict, dict]:
    """The photos and public linked stories all of `stories`' blocks show: a query each, only
    when some block needs it (none for photos the stories' rows carry, or their `owner`'s).
    `linked_by_id`: how to read the linked stories (their ids -> {id: story}), else as story
    cards show them."""
    carried = owner is not None and hasattr(owner, "block_photo_rows")
    photos = _block_photos([owner] if carried else stories)
    wanted_stories = {pk for story in stories for pk in story_ids(story.blocks)}
    if not wanted_stories:
        return photos, {}
    if linked_by_id is None:
        cards = Article.objects.published().select_related("section", "lead_photo")
        return photos, cards.in_bulk(wanted_stories)
    return photos, linked_by_id(wanted_stories)


def many_page_blocks(
    stories: list, *, entries_of: Article | None = None, linked_by_id=None
) -> list[PageBlocks]:
    """page_blocks for many stories (a feed), or the live entries of story `entries_of`, in the
    same two queries at most. A live story's row carries its public entries' photos too
    (Article.remember_block_photos), so its entries then ask nothing for them.
    `linked_by_id`: how the stories the story cards link to are read (their ids -> {id: story}),
    when what they show needs less than a story card (a feed's links)."""
    entries = entries_of is not None
    photos, linked = _shown_by(stories, entries_of, linked_by_id)
    return [
        _ready(story, photos, linked, prefix=f"entry-{story.pk}-" if entries else "")
        for story in stories
    ]


def page_blocks(story: Article, linked: dict[int, Article] | None = None) -> PageBlocks:
    """The story's blocks, each with what it shows fetched, for templates (no query there).
    `linked`: the public stories its cards link to (with_linked_stories), if already fetched."""
    if linked is None:
        photos, linked = _shown_by([story])
    else:
        photos = _block_photos([story])
    return _ready(story, photos, linked)


def _ready(story, photos: dict, linked: dict, prefix: str = "") -> PageBlocks:
    """A live entry's blocks (anything with `blocks`; `article_id` names its story) are given a
    `prefix` (the entry's anchor) so that their ids stay unique among the page's entries."""
    wanted_photos = photo_ids(story.blocks)
    page = PageBlocks(blocks=[])
    page.previews = {row["url"]: row for row in getattr(story, "embed_preview_rows", None) or ()}
    anchors: set[str] = set()
    own_story = getattr(story, "article_id", story.pk)
    # No lead photo: the first block photo is above the fold (never so in a live entry).
    eager = not prefix and story.lead_photo_id is None
    for n, block in enumerate(story.blocks, 1):
        kind = block["type"]
        ready = {**block, "template": f"includes/blocks/{kind}.html", "n": f"{prefix}{n}"}
        if kind == "photo":
            photo = photos.get(block["photo"])
            if photo is None:
                continue
            ready.update(photo=photo, sizes=PHOTO_SIZES[block["size"]], eager=eager and n <= 2)
        elif kind == "gallery":
            items = [
                {"photo": photos[item["photo"]], "caption": item["caption"]}
                for item in block["photos"]
                if item["photo"] in photos
            ]
            if not items:
                continue
            ready["items"] = items
        elif kind == "heading":
            ready["anchor"] = prefix + _anchor(block["text"], anchors)
            page.headings.append({"id": ready["anchor"], "text": block["text"]})
        elif kind == "embed":
            try:
                ready["embed"] = embed = recognise(block["url"])
            except ValidationError:
                continue  # stored before a provider changed its addresses: left out, not a 500
            page.embeds.append(embed)
        elif kind == "story":
            linked_story = linked.get(block["story"])
            if linked_story is None or linked_story.pk == own_story:
                continue
            ready["story"] = linked_story
            page.stories.append(linked_story)
        page.blocks.append(ready)
    page.photos = [photos[pk] for pk in wanted_photos if pk in photos]
    return page
