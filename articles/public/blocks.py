"""A story's blocks made ready for its page, its feed item and its structured data.

Whatever the number of blocks, the photos of every photo and gallery block come in one query and
the stories of every story card in one more (their bylines join the page's one bylines query),
each only when the story has such blocks. A photo deleted since, or a linked story that is no
longer public, drops out: readers never see a broken figure or a link to a page that is gone.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
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


def _shown_by(stories: list[Article]) -> tuple[dict, dict]:
    """The photos and public linked stories all of `stories`' blocks show: a query each, only
    when some block needs it."""
    wanted_photos = {pk for story in stories for pk in photo_ids(story.blocks)}
    photos = Photo.objects.in_bulk(wanted_photos) if wanted_photos else {}
    wanted_stories = {pk for story in stories for pk in story_ids(story.blocks)}
    linked = (
        Article.objects.published().select_related("section", "lead_photo").in_bulk(wanted_stories)
        if wanted_stories
        else {}
    )
    return photos, linked


def many_page_blocks(stories: list, *, entries: bool = False) -> list[PageBlocks]:
    """page_blocks for many stories (a feed), or live entries, in the same two queries at most."""
    photos, linked = _shown_by(stories)
    return [
        page_blocks(story, shown=(photos, linked), prefix=f"entry-{story.pk}-" if entries else "")
        for story in stories
    ]


def page_blocks(
    story: Article, shown: tuple[dict, dict] | None = None, *, prefix: str = ""
) -> PageBlocks:
    """The story's blocks, each with what it shows fetched, for templates (no query there).

    A live entry's blocks (anything with `blocks`; `story_id` names its story) are given a
    `prefix` (the entry's anchor) so that their ids stay unique among the page's entries."""
    photos, linked = shown or _shown_by([story])
    wanted_photos = photo_ids(story.blocks)
    page = PageBlocks(blocks=[])
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
