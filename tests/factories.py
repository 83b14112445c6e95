"""Small factory functions: data made in code, with believable defaults."""

import io
import itertools
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, Author, Byline, Photo, Section

_counter = itertools.count(1)


def image_bytes(fmt="JPEG", size=(800, 500), colour=(30, 90, 160)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt)
    return out.getvalue()


def upload(name="photo.jpg", fmt="JPEG", size=(800, 500), content=None) -> SimpleUploadedFile:
    data = content if content is not None else image_bytes(fmt, size)
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def make_section(name=None, **fields) -> Section:
    n = next(_counter)
    name = name or f"Section {n}"
    return Section.objects.create(name=name, slug=fields.pop("slug", f"section-{n}"), **fields)


def make_author(name=None, **fields) -> Author:
    n = next(_counter)
    name = name or f"Author {n}"
    return Author.objects.create(name=name, slug=fields.pop("slug", f"author-{n}"), **fields)


def make_photo(**fields) -> Photo:
    n = next(_counter)
    defaults = {
        "caption": f"Caption {n}",
        "alt_text": f"Alt text {n}",
        "photographer": "Alexandros Michailidis",
        "agency": "Shutterstock",
    }
    photo = Photo(**{**defaults, **fields})
    photo.image.save(f"photo-{n}.jpg", upload(), save=False)
    photo.save()
    return photo


def make_article(
    *, authors=None, tags=(), status=Article.Status.PUBLISHED, published_at=None, **fields
) -> Article:
    n = next(_counter)
    if status == Article.Status.PUBLISHED and published_at is None:
        # Each story a second older than the one made before it: the order of making is the
        # order of publication, and a whole suite's stories stay within the last hours, newer
        # than any a test dates days back (a minute each reached two days after 2,880 stories).
        published_at = timezone.now() - timedelta(seconds=n)
    defaults = {
        "kicker": f"Kicker {n}",
        "headline": f"Headline number {n}",
        "subheadline": f"Subheadline {n}",
        "slug": f"story-{n}",
        "body": f"<p>Body of story {n}.</p>",
    }
    if "section" not in fields:
        fields["section"] = make_section()
    article = Article.objects.create(
        **{**defaults, **fields}, status=status, published_at=published_at
    )
    for position, author in enumerate(authors if authors is not None else [make_author()]):
        Byline.objects.create(article=article, author=author, position=position)
    if tags:
        article.tags.add(*tags)
    return article


def make_archive(count: int, section: Section, every: timedelta) -> list[Article]:
    """`count` published stories of `section` in one insert, each `every` older than the one
    before it, from now: an archive to plan and read against."""
    now = timezone.now()
    return Article.objects.bulk_create(
        Article(
            headline=f"Archive story {n}",
            slug=f"archive-{n}",
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=now - every * n,
        )
        for n in range(count)
    )
