"""The demo newsroom in another language (`seed_demo --language he`): its sections, authors,
photo captions, stories and reader comments come from newsroom/demo_data/<language>.json,
written as that language's newsroom would write them; addresses are Unicode slugs of its words.
The English reference story (newsroom/demo.py) is always there too, in the edition's world
section, as the project's contract asks. Idempotent, like the English demo.
"""

import json
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from django.utils.text import slugify

from articles import caching
from articles.models import Article, Author, Byline, Section

from . import demo

DATA = Path(__file__).resolve().parent / "demo_data"
HOUR = timedelta(hours=1)


def languages() -> list[str]:
    """The languages there is a demo for: English and every data file."""
    return ["en", *sorted(path.stem for path in DATA.glob("*.json"))]


def slug(words: str) -> str:
    return slugify(words, allow_unicode=True)


class Edition:
    def __init__(self, language: str):
        self.language = language
        self.data = json.loads((DATA / f"{language}.json").read_text(encoding="utf-8"))

    def ensure_sections(self) -> list[Section]:
        return [
            Section.objects.get_or_create(slug=slug(name), defaults={"name": name, "position": i})[
                0
            ]
            for i, name in enumerate(self.data["sections"])
        ]

    def ensure_authors(self) -> list[Author]:
        return [
            Author.objects.get_or_create(slug=slug(name), defaults={"name": name, "bio": bio})[0]
            for name, bio in self.data["authors"]
        ]

    def ensure_photos(self) -> list:
        # Seeds past the English demo's (1-7): pictures of their own.
        return [demo.ensure_photo(20 + i, *spec) for i, spec in enumerate(self.data["photos"])]

    def ensure_stories(self, sections, authors, photos) -> list[Article]:
        """Every story of the data file: published over the last hours (the first the newest,
        ahead of the English reference story), or scheduled for tomorrow, or a draft."""
        by_name = {section.name: section for section in sections}
        now, stories = timezone.now(), []
        for i, spec in enumerate(self.data["stories"]):
            story = Article.objects.filter(slug=slug(spec["headline"])).first()
            if story is None:
                story = self._create_story(spec, by_name, authors, photos, now - (i + 0.2) * HOUR)
            stories.append(story)
        return stories

    def _create_story(self, spec, sections, authors, photos, published_at) -> Article:
        status = spec.get("status", "published")
        if status == "scheduled":
            published_at = timezone.now() + timedelta(days=1)
        story = Article.objects.create(
            slug=slug(spec["headline"]),
            kicker=spec["kicker"],
            headline=spec["headline"],
            subheadline=spec["subheadline"],
            blocks=spec["blocks"],
            section=sections[spec["section"]],
            lead_photo=photos[spec["photo"]],
            status=Article.Status.DRAFT if status == "draft" else Article.Status.PUBLISHED,
            published_at=None if status == "draft" else published_at,
        )
        Byline.objects.create(article=story, author=authors[spec["author"]])
        story.tags.add(*spec["tags"])
        return story

    def bulk_texts(self) -> dict:
        """What `--articles N` stories are written with: this edition's kickers and headlines."""
        stories = self.data["stories"]
        bodies = {s["kicker"]: s["blocks"][0]["html"] for s in stories}
        return {
            "parts": [(s["kicker"], s["headline"]) for s in stories],
            "tags": sorted({tag for s in stories for tag in s["tags"]}),
            "body": bodies.get,
            "subheadline": stories[0]["subheadline"] + " ({n})",
        }


def seed(
    language: str, *, articles=0, comments=12, users=False, progress=None, comment_progress=None
) -> dict:
    """As demo.seed(), in `language`."""
    edition = Edition(language)
    sections = edition.ensure_sections()
    authors = edition.ensure_authors()
    photos = edition.ensure_photos()
    world = slug(edition.data["world_section"])
    reference = demo.ensure_reference_article(sections, authors, world_slug=world)
    stories = edition.ensure_stories(sections, authors, photos)
    new = 0
    if articles:
        texts = edition.bulk_texts()
        new = demo.ensure_bulk_stories(articles, sections, authors, photos, progress, **texts)
    new_comments = demo.ensure_comments(
        comments,
        comment_progress,
        names=edition.data["commenters"],
        bodies=edition.data["comments"],
        first=stories[0].slug,
        domain=f"{language}.{demo.DEMO_COMMENT_DOMAIN}",
    )
    if new or new_comments:
        demo.refresh_planner_statistics()
        caching.purge_everything()  # bulk inserts send no signals
    logins = demo.ensure_users(reporter_author=authors[0].slug) if users else []
    return {"reference": reference, "new_bulk": new, "new_comments": new_comments, "logins": logins}
