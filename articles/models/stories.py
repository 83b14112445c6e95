from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager

from . import blocks as story_blocks
from .authors import Author
from .json_columns import JSONField
from .kinds import Kind
from .loading import LoadedFromRows
from .material_changes import MaterialChanges
from .paths import path_with, paths_with
from .photos import Photo
from .publishing import Publishing
from .richtext import BODY_EXTENSIONS, sanitize_html
from .sections import Section
from .story_queries import ARTICLE_INDEXES, ArticleQuerySet
from .tags import TaggedArticle


class Article(LoadedFromRows, Publishing, MaterialChanges, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")

    Kind = Kind

    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=Kind.choices,
        default=Kind.NEWS,
        help_text=_("Readers see it as a label above the headline (news has none)."),
    )
    sponsor = models.CharField(
        _("sponsor"),
        max_length=120,
        blank=True,
        help_text=_("Who paid for a sponsored story: readers see “Sponsored by …”."),
    )
    kicker = models.CharField(
        _("kicker"), max_length=80, blank=True, help_text=_("The short label above the headline.")
    )
    headline = models.CharField(_("headline"), max_length=200)
    subheadline = models.CharField(_("subheadline"), max_length=300, blank=True)
    # Unicode slugs, not transliterated ones: a Hebrew or Arabic edition's readers read its
    # addresses in their own script (transliterating Hebrew, written without vowels, gives
    # strings nobody can read back), browsers show them decoded, and Django makes them end to
    # end (slugify(allow_unicode=True), the admin's prepopulated slug, articles/urls.py's
    # `word` converter). On the wire they are percent-encoded UTF-8, as every link is.
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        allow_unicode=True,
        help_text=_("The story's address: lowercase words (in any alphabet) and hyphens."),
    )
    section = models.ForeignKey(
        Section,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("section"),
    )
    authors = models.ManyToManyField(
        Author, through="Byline", related_name="articles", blank=True, verbose_name=_("authors")
    )
    blocks = JSONField(
        _("blocks"),
        default=list,
        blank=True,
        validators=[story_blocks.clean_blocks],
        help_text=_(
            "The story's body: text, headings, photos, galleries, embeds, quotes, "
            "fact boxes, tables and story cards, in reading order."
        ),
    )
    # Derived from the blocks on every save (blocks.readable_html): the search document is
    # generated from it by the database, and it is the story's text in one piece.
    body = ProseEditorField(
        _("body"), config={"extensions": BODY_EXTENSIONS}, sanitize=sanitize_html, blank=True
    )
    # The photos the blocks show, written on save: "which stories show this photo" for purges,
    # the rights check, the publication guard and the agency credit report.
    block_photos = models.ManyToManyField(
        Photo,
        blank=True,
        editable=False,
        related_name="shown_in_blocks",
        verbose_name=_("block photos"),
    )
    external_id = models.CharField(
        _("external id"),
        max_length=200,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The story's identifier in the system it came from (load_stories)."),
    )
    contributor_note = models.CharField(
        _("contributor note"),
        max_length=200,
        blank=True,
        help_text=_("For example: Ynet contributed to this report."),
    )
    lead_photo = models.ForeignKey(
        Photo,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lead_for",
        verbose_name=_("lead photo"),
    )
    # Search and social: each optional, falling back to what readers see (articles/seo.py).
    seo_title = models.CharField(
        _("SEO title"),
        max_length=110,
        blank=True,
        help_text=_("The title in search results, if not the headline. About 60 characters show."),
    )
    meta_description = models.CharField(
        _("meta description"),
        max_length=300,
        blank=True,
        help_text=_(
            "The summary in search results, if not the subheadline. About 155 characters show."
        ),
    )
    social_headline = models.CharField(
        _("social headline"),
        max_length=200,
        blank=True,
        help_text=_("The title on social cards, if not the headline. About 70 characters show."),
    )
    social_image = models.ForeignKey(
        Photo,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="social_for",
        help_text=_("The picture on social cards, if not the lead photo."),
        verbose_name=_("social image"),
    )
    tags = TaggableManager(through=TaggedArticle, blank=True, verbose_name=_("Tags"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_("A story is public once it is published and its publication time has passed."),
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_(
            "Publication time. A future time schedules the story; empty means now on publishing."
        ),
    )
    embargo_until = models.DateTimeField(
        _("embargo until"),
        null=True,
        blank=True,
        help_text=_("Nobody can publish the story before this time, whatever its schedule says."),
    )
    # Live stories (kind `live`): when the desk closed the coverage (live.set_coverage). Readers'
    # pages then stop asking for updates; the JSON-LD gives it as coverageEndTime.
    coverage_ended_at = models.DateTimeField(
        _("coverage ended at"), null=True, blank=True, editable=False
    )
    revised_at = models.DateTimeField(
        _("revised at"),
        null=True,
        blank=True,
        help_text=_(
            "Shown to readers as “Updated”. Set automatically when the headline, "
            "subheadline or body of a public story changes by more than a small correction."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    sent_back_at = models.DateTimeField(
        _("sent back at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When an editor sent the story back from review to draft (the writer's desk)."),
    )
    comments_open = models.BooleanField(_("comments open"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-created_at"]
        permissions = [("publish_article", "Can publish, schedule and unpublish articles")]
        constraints = [
            # An embargo holds on every path to publication (the admin, the publish action, a
            # load, a restore, a shell): the model and the form refuse first, with a message;
            # this is the guarantee. It also means published() (published_at <= now) excludes
            # every story under embargo without reading embargo_until, so the covering index
            # of deep list pages (below) still answers alone.
            models.CheckConstraint(
                condition=~Q(status="published")
                | Q(embargo_until__isnull=True)
                | Q(published_at__gte=F("embargo_until")),
                name="article_published_after_embargo",
                violation_error_message=_(
                    "A story under embargo cannot be published before its embargo ends."
                ),
            ),
        ]
        indexes = ARTICLE_INDEXES

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        # Every path in (admin, seed, shell, bulk import via save) stores clean blocks and a
        # body derived from them.
        self._derive_body()
        adding = self._state.adding
        try:
            super().save(*args, **kwargs)
        finally:
            self.__dict__.pop("_stored", None)
        self._saved_status = self.status
        self._loaded_body = self.body
        if not adding or self.blocks:  # a new story without blocks has no photos to remember
            self.remember_block_photos()

    def get_absolute_url(self):
        if not self.is_published:
            return reverse("articles:preview", kwargs={"pk": self.pk})
        section = self.section.slug if self.section_id is not None else None
        return public_path(self.pk, section, self.slug)

    def remember_block_photos(self) -> None:
        """`block_photos` holds every photo readers see inside the story: in its blocks and, for
        live coverage, in its public entries, so that the publication guard, the rights checks
        and `Article.objects.showing(photo)` see those too."""
        photos = story_blocks.photo_ids(self.blocks)
        if self.kind == Kind.LIVE:
            for blocks in self.entries.filter(status="published").values_list("blocks", flat=True):
                photos += story_blocks.photo_ids(blocks)
        self.block_photos.set(set(photos))

    def _derive_body(self) -> None:
        """Blocks are the story; `body` is their words in one piece. Code from before blocks
        (scripts, fixtures, a version saved before them) may still write `body` alone: on a
        story of text only whose blocks are as they were read, that body becomes its text."""
        self.blocks = story_blocks.clean_blocks(self.blocks)
        derived = story_blocks.readable_html(self.blocks)
        loaded = getattr(self, "_loaded_body", "")
        text_only = all(block["type"] == "text" for block in self.blocks)
        if text_only and self.body != loaded and derived == loaded:
            self.blocks = story_blocks.text_block(self.body)
            derived = story_blocks.readable_html(self.blocks)
        if self.kind == Kind.SPONSORED:
            # A sponsored story's links are marked as paid for, wherever in it they stand.
            for block in self.blocks:
                if "html" in block:
                    block["html"] = sanitize_html(block["html"], sponsored=True)
            derived = sanitize_html(story_blocks.readable_html(self.blocks), sponsored=True)
        self.body = derived

    def stored(self) -> "Article | None":
        """This story as the database holds it (None while it is new): what a save changes.

        Signal handlers that compare the story with what it was call this in pre_save; the row
        is read once per save however many of them ask, and forgotten when the save ends.
        """
        if "_stored" not in self.__dict__:
            self._stored = (
                None
                if self.pk is None
                else type(self)
                ._default_manager.select_related("section")
                .filter(pk=self.pk)
                .first()
            )
        return self._stored

    @classmethod
    def from_db(cls, db, field_names, values):
        # Remember the status as stored: a form that failed validation has already put the
        # posted status on the instance, and permissions must follow what is really saved.
        instance = super().from_db(db, field_names, values)
        instance._saved_status = instance.__dict__.get("status")
        instance._loaded_body = instance.__dict__.get("body", "")
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
        """The visible "Updated" time, else publication: dateModified, sitemaps and feeds; never
        earlier than publication."""
        return modified_time(self.published_at, self.revised_at, self.updated_at)

    @property
    def byline_authors(self) -> list[Author]:
        """Authors in byline order; free when prefetched with `bylines_prefetch()`."""
        bylines = getattr(self, "prefetched_bylines", None)
        if bylines is None:
            bylines = self.bylines.select_related("author")
        return [byline.author for byline in bylines]

    @property
    def is_published(self) -> bool:
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and not self.is_under_embargo_at(now)
        )

    def is_under_embargo_at(self, moment) -> bool:
        return self.embargo_until is not None and moment < self.embargo_until

    @property
    def kind_label(self) -> str:
        """The label above the headline: none for news; a sponsored story names its sponsor."""
        if self.kind == Kind.NEWS:
            return ""
        if self.kind == Kind.SPONSORED and self.sponsor:
            return gettext("Sponsored by %(sponsor)s") % {"sponsor": self.sponsor}
        return self.get_kind_display()

    def block_errors(self, *, publishing=False) -> dict[str, list[str]]:
        problems = story_blocks.reference_errors(self, publishing=publishing)
        return {"blocks": problems} if problems else {}

    def clean(self):
        super().clean()
        try:
            self.blocks = story_blocks.clean_blocks(self.blocks)
        except ValidationError as error:
            raise ValidationError({"blocks": error.messages}) from None
        if errors := self.block_errors():
            raise ValidationError(errors)


def public_path(pk: int, section_slug: str | None, slug: str) -> str:
    """A public story's path from its id, section and slug (Article.get_absolute_url; a sitemap
    reads only these of its thousands of stories): the preview's for one written past the
    publication guard without a section. Reversed once per section, not once per story."""
    if section_slug is None:
        return reverse("articles:preview", kwargs={"pk": pk})
    return path_with("articles:article", "slug", slug, section=section_slug)


def public_paths():
    """public_path as a function for a loop over thousands of stories (a sitemap page): each
    section's path around the slug is looked up once, not once per story."""
    in_section = {}

    def path(pk: int, section_slug: str | None, slug: str) -> str:
        if section_slug is None:
            return public_path(pk, None, slug)
        if section_slug not in in_section:
            in_section[section_slug] = paths_with("articles:article", "slug", section=section_slug)
        return in_section[section_slug](slug)

    return path


def modified_time(published_at, revised_at, updated_at):
    """Article.date_modified from its times: the visible "Updated" time, else publication;
    never earlier than publication. In SQL: story_queries.modified_time_sql()."""
    times = [time for time in (revised_at, published_at) if time is not None]
    return max(times) if times else updated_at
