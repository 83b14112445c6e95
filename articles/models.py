import difflib
import functools
import html
from datetime import timedelta

import reversion
from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import F, Func, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from . import renditions
from .images import VerifiedImageField
from .richtext import BODY_EXTENSIONS, sanitize_html

PUBLISH_PERMISSION = "articles.publish_article"

# First path segments the site itself uses: a section with one of these slugs would be unreachable.
RESERVED_SECTION_SLUGS = frozenset(
    {
        "admin", "author", "comments", "corrections", "feed", "healthz", "media", "preview", "robots",
        "search", "sitemap", "static", "tag",
    }
)  # fmt: skip


def validate_section_slug(value: str) -> None:
    if value.lower() in RESERVED_SECTION_SLUGS:
        raise ValidationError(
            "“%(slug)s” is an address the site already uses; choose another slug for this section.",
            code="reserved_slug",
            params={"slug": value},
        )


class Section(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True, validators=[validate_section_slug])
    description = models.TextField(blank=True, help_text="Shown on the section page.")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the site navigation, lowest first."
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


class Author(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    bio = models.TextField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text="The staff account of this author, if they have one.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


class Photo(models.Model):
    image = VerifiedImageField(
        upload_to="photos/%Y/%m/",
        width_field="width",
        height_field="height",
        help_text="JPEG, PNG or WebP, at most 10 MB and 40 megapixels, no side over 12,000 "
        "pixels or more than 8 times the other. "
        "Uploads are re-encoded without their metadata.",
    )
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    caption = models.CharField(max_length=300, blank=True)
    alt_text = models.CharField(
        max_length=250,
        blank=True,
        help_text="What the photo shows, for readers who cannot see it. "
        "Required before the photo can lead a published story.",
    )
    photographer = models.CharField(max_length=120, blank=True)
    agency = models.CharField(
        max_length=120, blank=True, help_text="The source, such as Shutterstock or Reuters."
    )
    usage_terms = models.TextField(
        blank=True, help_text="Rights and usage: licence, restrictions, who may reuse it."
    )
    rights_expire_on = models.DateField(
        null=True, blank=True, help_text="Last day the licence allows publication, if limited."
    )
    # The subject of the photo, in percent of its width and height: crops keep it in frame.
    focal_x = models.FloatField(
        "focal point across",
        default=50,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Where the subject is, in % of the width from the left edge (click the preview).",
    )
    focal_y = models.FloatField(
        "focal point down",
        default=50,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Where the subject is, in % of the height from the top edge.",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    renditions = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="Resized copies for readers, made by articles.renditions when the photo is saved.",
    )

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.caption or self.alt_text or self.image.name

    def get_absolute_url(self):
        return self.image.url

    @property
    def rights_have_expired(self) -> bool:
        """Past the last day the licence allows publication."""
        return self.rights_expire_on is not None and self.rights_expire_on < timezone.localdate()

    @property
    def credit(self) -> str:
        """The rendered credit line: `Photo: <photographer> / <agency>`."""
        names = " / ".join(name for name in (self.photographer, self.agency) if name)
        return f"Photo: {names}" if names else ""

    def original(self) -> dict:
        """The uploaded file as readers may be sent to it (url, width, height): what pages and
        feeds show while a photo has no renditions (articles.renditions.refresh could not make
        them). Where originals are private (object storage: newsroom/storage.py) their signed
        addresses expire within minutes, and a page or feed kept by a cache would carry a dead
        one: readers get the site's lasting address instead, which signs a fresh one each time
        (articles.views.photo_original)."""
        is_private = getattr(default_storage, "is_original", None)
        if is_private is not None and is_private(self.image.name):
            url = reverse("photo_original", args=[self.pk])
        else:
            url = self.image.url
        return {"url": url, "width": self.width, "height": self.height}

    def rendition_set(self, fmt: str = "jpeg") -> list[dict]:
        """Stored renditions in one format, narrowest first: dicts with width, height, url, bytes.

        Reads only the `renditions` column, so templates can call it without touching storage.
        """
        if self.renditions.get("source") != self.image.name:
            return []
        url = default_storage.url  # once through the lazy storage object, not per rendition
        return [{**item, "url": url(item["name"])} for item in self.renditions.get(fmt, [])]

    def crops(self) -> dict[str, dict]:
        """Stored crops by ratio ("16x9", "4x3", "1x1"): dicts with width, height, url, bytes.

        Made around the focal point when the photo is saved (articles/renditions.py); empty
        until they are, so structured data can fall back to the full frame.
        """
        if self.renditions.get("source") != self.image.name:
            return {}
        stored = self.renditions.get("crops", {})
        url = default_storage.url
        return {
            ratio: {**stored[ratio], "url": url(stored[ratio]["name"])}
            for ratio in renditions.CROP_RATIOS  # in this order: the JSON column sorts its keys
            if ratio in stored
        }


def change_time():
    """A published story's `date_modified` in SQL: its visible revision time, else publication.

    The sitemaps' lastmod; "article_latest_change_idx" and "article_section_change_idx" index it.
    """
    return Coalesce("revised_at", "published_at")


# Related stories come from this long before or after a story (see related_to).
RELATED_WINDOW = timedelta(days=30)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one definition of what the public may see."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def for_cards(self):
        """Everything a story card shows (section, lead photo, bylines) in two queries."""
        return self.select_related("section", "lead_photo").prefetch_related(bylines_prefetch())

    def newest_per_section(self, count: int):
        """The `count` newest of these stories in each section (home page section blocks).

        On Postgres, a correlated ARRAY(… LIMIT count) per section, unnested: each is an index
        scan that stops after `count` rows, so the cost grows with sections, not with the
        archive. SQLite (the quickstart) numbers every story with a window function instead.
        """
        newest_first = [F("published_at").desc(), F("pk").desc()]
        if connection.vendor != "postgresql":
            numbered = Window(RowNumber(), partition_by=F("section"), order_by=newest_first)
            return (
                self.filter(section__isnull=False).annotate(place=numbered).filter(place__lte=count)
            )
        newest = self.filter(section=OuterRef("pk")).order_by(*newest_first).values("pk")
        unnest = Func(ArraySubquery(newest[:count]), function="unnest")
        story_ids = Section.objects.order_by().values(story=unnest)
        return self.model.objects.filter(pk__in=story_ids)

    def related_to(self, article: "Article", tag_ids: list[int]):
        """Stories sharing the most of `tag_ids` with `article`, newest first among equals.

        Only stories published within RELATED_WINDOW of the story, before or after, are
        candidates: related stories are the ones from its news cycle. The rule also bounds the
        query, which otherwise counted every story ever given a popular tag (114 ms at 100,000
        stories). Here "article_status_pub_idx" finds the stories in the window and each one's
        shared tags are counted through its own tag links, so the cost follows how much is
        published in the window, not the size of the archive.
        """
        around = article.published_at or timezone.now()
        shared = (
            TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag__in=tag_ids)
            .order_by()
            .values(count=Func("pk", function="COUNT"))
        )
        return (
            self.filter(published_at__range=(around - RELATED_WINDOW, around + RELATED_WINDOW))
            .exclude(pk=article.pk)
            .annotate(shared_tags=Subquery(shared))
            .filter(shared_tags__gt=0)
            .order_by("-shared_tags", "-published_at", "-pk")
            .select_related("section", "lead_photo")
        )


def bylines_prefetch() -> Prefetch:
    """Bylines with their authors, in byline order: what `Article.byline_authors` reads.

    Into a list (to_attr), not the related manager's cache: Django builds a filtered queryset
    for each story it fills a manager's cache on, which cost more than the query itself on a
    page of forty story cards.
    """
    return Prefetch(
        "bylines", queryset=Byline.objects.select_related("author"), to_attr="prefetched_bylines"
    )


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag")
        ]


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"

    kicker = models.CharField(
        max_length=80, blank=True, help_text="The short label above the headline."
    )
    headline = models.CharField(max_length=200)
    subheadline = models.CharField(max_length=300, blank=True)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The story's address: lowercase words and hyphens."
    )
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    authors = models.ManyToManyField(Author, through="Byline", related_name="articles", blank=True)
    body = ProseEditorField(
        config={"extensions": BODY_EXTENSIONS}, sanitize=sanitize_html, blank=True
    )
    contributor_note = models.CharField(
        max_length=200, blank=True, help_text="For example: Ynet contributed to this report."
    )
    lead_photo = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="lead_for"
    )
    # Search and social: each optional, falling back to what readers see (articles/seo.py).
    seo_title = models.CharField(
        "SEO title",
        max_length=110,
        blank=True,
        help_text="The title in search results, if not the headline. About 60 characters show.",
    )
    meta_description = models.CharField(
        max_length=300,
        blank=True,
        help_text="The summary in search results, if not the subheadline. About 155 characters show.",
    )
    social_headline = models.CharField(
        max_length=200,
        blank=True,
        help_text="The title on social cards, if not the headline. About 70 characters show.",
    )
    social_image = models.ForeignKey(
        Photo,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="social_for",
        help_text="The picture on social cards, if not the lead photo.",
    )
    tags = TaggableManager(through=TaggedArticle, blank=True)
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="A story is public once it is published and its publication time has passed.",
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Publication time. A future time schedules the story; empty means now on publishing.",
    )
    revised_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Shown to readers as “Updated”. Set automatically when the headline, "
        "subheadline or body of a public story changes by more than a small correction.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_back_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When an editor sent the story back from review to draft (the writer's desk).",
    )
    comments_open = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        permissions = [("publish_article", "Can publish, schedule and unpublish articles")]
        indexes = [
            # Home page, feeds and sitemaps: the newest published stories.
            models.Index(fields=["status", "-published_at"], name="article_status_pub_idx"),
            # Section pages: a section's newest stories.
            models.Index(
                fields=["section", "status", "-published_at"], name="article_section_pub_idx"
            ),
            # Sitemaps: the newest change of all published stories and of each section's, read
            # from the end of these instead of aggregating every story (MAX over 100,000 rows).
            models.Index(
                change_time().desc(),
                name="article_latest_change_idx",
                condition=Q(status="published"),
            ),
            models.Index(
                F("section"),
                change_time().desc(),
                name="article_section_change_idx",
                condition=Q(status="published"),
            ),
            # List pages deep in a topic's or author's stories: the stories skipped are joined
            # and sorted from this index alone, not from their rows (articles/pagination.py).
            models.Index(
                fields=["id"],
                include=["published_at", "created_at"],
                name="article_published_cover_idx",
                condition=Q(status="published"),
            ),
            # Search has a GIN index on its stored weighted vector too,
            # "article_search_published_idx": made by migrations 0009 and 0011 on Postgres only,
            # because SQLite (the quickstart) has neither tsvector nor GIN (articles/search.py).
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        # Every path in (admin, seed, shell, bulk import via save) stores a sanitised body.
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)
        self._saved_status = self.status

    def get_absolute_url(self):
        if self.section_id is None or not self.is_published:
            return reverse("articles:preview", kwargs={"pk": self.pk})
        return _story_path(
            self.section.slug,
            self.slug,
            get_script_prefix(),
            get_urlconf() or settings.ROOT_URLCONF,
        )

    @classmethod
    def from_db(cls, db, field_names, values):
        # Remember the status as stored: a form that failed validation has already put the
        # posted status on the instance, and permissions must follow what is really saved.
        instance = super().from_db(db, field_names, values)
        instance._saved_status = instance.__dict__.get("status")
        return instance

    @property
    def is_saved_as_published(self) -> bool:
        return getattr(self, "_saved_status", None) == self.Status.PUBLISHED

    @property
    def modified_at(self):
        """When readers last saw a change: never earlier than publication."""
        if self.published_at is None:
            return self.updated_at
        return max(self.published_at, self.updated_at)

    @property
    def date_modified(self):
        """The visible "Updated" time, else publication: dateModified, sitemaps and feeds."""
        return self.revised_at or self.published_at or self.updated_at

    @property
    def byline_authors(self) -> list[Author]:
        """Authors in byline order; free when prefetched with `bylines_prefetch()`."""
        bylines = getattr(self, "prefetched_bylines", None)
        if bylines is None:
            bylines = self.bylines.select_related("author")
        return [byline.author for byline in bylines]

    @property
    def is_published(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    MINOR_EDIT_WORDS = 3

    def reader_words(self) -> list[str]:
        """The words readers see in the headline, subheadline and body, markup removed."""
        text = " ".join((self.headline, self.subheadline, strip_tags(self.body)))
        return html.unescape(text).split()

    def changes_materially(self, previous: "Article") -> bool:
        """More than a small correction: over MINOR_EDIT_WORDS words added, removed or replaced."""
        before, after = previous.reader_words(), self.reader_words()
        if before == after:
            return False
        matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
        changed = sum(
            max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"
        )
        return changed > self.MINOR_EDIT_WORDS

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.PUBLISHED and not self.is_published

    def publication_errors(self, *, has_byline: bool | None = None) -> dict[str, list[str]]:
        """What stops this story from being published, by field."""
        errors: dict[str, list[str]] = {}
        if not self.headline.strip():
            errors["headline"] = ["A published story needs a headline."]
        if not self.slug:
            errors["slug"] = ["A published story needs a slug."]
        if self.section_id is None:
            errors["section"] = ["A published story needs a section."]
        if has_byline is None:
            has_byline = self.pk is not None and self.bylines.exists()
        if not has_byline:
            errors["authors"] = ["A published story needs at least one byline."]
        photo = self.lead_photo
        if photo is not None:
            if not photo.alt_text.strip():
                errors.setdefault("lead_photo", []).append(
                    "The lead photo needs alt text before the story is published."
                )
            if not photo.credit:
                errors.setdefault("lead_photo", []).append(
                    "The lead photo needs a credit (photographer or agency) "
                    "before the story is published."
                )
            if photo.rights_have_expired:
                errors.setdefault("lead_photo", []).append(
                    f"The lead photo's rights expired on {photo.rights_expire_on:%-d %B %Y}: "
                    "choose another photo, or renew the licence and update its date."
                )
        return errors

    def _save_as_version(self, by, comment: str) -> None:
        """Save, recording a version (articles/revisions.py) of who did what."""
        with reversion.create_revision():
            if by is not None:
                reversion.set_user(by)
            reversion.set_comment(comment)
            self.save()

    def publish(self, *, by, at=None):
        """Publish now, or at `at` (a future time schedules the story)."""
        if not by.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied("You do not have permission to publish stories.")
        if errors := self.publication_errors():
            raise ValidationError(errors)
        self.status = self.Status.PUBLISHED
        self.published_at = at or self.published_at or timezone.now()
        self._save_as_version(by, "Scheduled." if self.is_scheduled else "Published.")

    def publish_now(self, *, by):
        """Publish at once, bringing a scheduled story forward."""
        self.publish(by=by, at=timezone.now())

    def unpublish(self, *, by):
        if not by.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied("You do not have permission to unpublish stories.")
        self.status = self.Status.DRAFT
        self._save_as_version(by, "Unpublished (back to draft).")

    def send_to_review(self, *, by=None):
        if self.status == self.Status.DRAFT:
            self.status = self.Status.REVIEW
            self._save_as_version(by, "Sent to review.")


@functools.lru_cache(maxsize=16_384)
def _story_path(section_slug: str, slug: str, script_prefix: str, urlconf: str) -> str:
    """A public story's path, remembered: pages list dozens of stories, the same ones on every
    render, and reverse() was a visible share of rendering them. What reverse() reads besides
    the slugs (the script prefix, the URLconf) is part of the key."""
    return reverse(
        "articles:article", kwargs={"section": section_slug, "slug": slug}, urlconf=urlconf
    )


class Byline(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["article", "author"], name="unique_byline")]

    def __str__(self):
        return f"{self.author} on {self.article}"


class ArticleRedirect(models.Model):
    """An address a public story used to have, kept so old links answer 301 to the story."""

    old_path = models.CharField(max_length=300, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_paths")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.old_path} → {self.article}"

    def get_absolute_url(self):
        return self.article.get_absolute_url()


# Models of the editorial desk, each in its own module (registered here, in the articles app).
from .contributors import Contributor  # noqa: E402, F401
from .corrections import Correction  # noqa: E402, F401
from .edit_locks import EditLock  # noqa: E402, F401
from .front_page import FrontPageSlot  # noqa: E402, F401
