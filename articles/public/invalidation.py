"""Which reader pages a change touches: the surrogate keys pages name (`story-12`, `section-3`,
`tag-7`, `author-5`, `home`, `latest`, `feeds`, `news-sitemap`, and the caching layer's `site` on
every page and `missing` on every "not found") and the keys each editorial change purges once it
is committed, or withdraws when a story is taken down."""

from collections.abc import Iterable

from django.db.models.signals import post_delete, post_save, pre_save
from taggit.models import Tag

from articles import caching
from articles.models import (
    Article,
    Author,
    BreakingBanner,
    Byline,
    Contributor,
    Correction,
    EmbedPreview,
    FrontPageLayout,
    FrontPageSlot,
    Photo,
    PolicyPage,
    Section,
    TaggedArticle,
)


def story_key(pk) -> str:
    return f"story-{pk}"


def section_key(pk) -> str:
    return f"section-{pk}"


def tag_key(pk) -> str:
    return f"tag-{pk}"


def author_key(pk) -> str:
    return f"author-{pk}"


def photo_key(pk) -> str:
    return f"photo-{pk}"


def keys_for_stories(stories: Iterable) -> set[str]:
    """A story card or page shows the story, its section and its bylines' authors."""
    keys = set()
    for story in stories:
        keys.add(story_key(story.pk))
        if story.section_id:
            keys.add(section_key(story.section_id))
        for byline in getattr(story, "prefetched_bylines", ()):
            keys.add(author_key(byline.author_id))
    return keys


def story_change_keys(article: Article, previous: Article | None) -> set[str]:
    """A story shows on its page, on home, the rail and feeds, and on the lists of its section,
    topics and authors (which it may be joining or leaving)."""
    was_public = previous is not None and previous.is_published
    if not (article.is_published or was_public):
        return set()  # a draft or scheduled story is on no reader page
    keys = {story_key(article.pk), "home", "latest", "feeds"}
    if article.is_published and (
        not was_public or (previous.slug, previous.section_id) != (article.slug, article.section_id)
    ):
        keys.add(caching.MISSING)  # found now at an address that answered "not found"
    for section_id in {article.section_id, previous.section_id if was_public else None}:
        if section_id:
            keys.add(section_key(section_id))
    if article.pk is not None:
        keys.update(
            tag_key(pk)
            for pk in TaggedArticle.objects.filter(content_object=article.pk).values_list(
                "tag_id", flat=True
            )
        )
        keys.update(
            author_key(pk)
            for pk in Byline.objects.filter(article=article.pk).values_list("author_id", flat=True)
        )
    return keys


def purge_released(since) -> list[Article]:
    """Purge the pages of stories that went public on their own after `since` (their schedule
    or embargo passed: no save, so no signal purged anything), and return them. Without this,
    they show as copies expire (NEWSROOM_PAGE_CACHE_SECONDS); `manage.py purge_released` run
    every minute shows them at once."""
    released = list(
        Article.objects.published().filter(published_at__gt=since).select_related("section")
    )
    for story in released:
        caching.purge(story_change_keys(story, None))
    return released


# The Google News sitemap names the headlines of up to a thousand stories: too many keys for a
# header, so it carries this one, withdrawn with any story.
NEWS_SITEMAP_KEY = "news-sitemap"


def story_withdrawn_keys(article: Article, was_public: bool, deleted: bool = False) -> set[str]:
    """A story taken down (unpublished, sent back to draft or review, rescheduled, deleted) is
    withdrawn: no copy of a page that showed it may be served again, not even while the database
    is away."""
    if was_public and (deleted or not article.is_published):
        return {story_key(article.pk), NEWS_SITEMAP_KEY}
    return set()


def purge_story_change(article: Article, previous: Article | None) -> None:
    """Refresh the pages showing `article` now or as `previous` showed it: for changes written
    without signals (a restored version)."""
    was_public = previous is not None and previous.is_published
    caching.purge(
        story_change_keys(article, previous), withdrawn=story_withdrawn_keys(article, was_public)
    )


def withdrawn_keys(instance, deleted: bool) -> set[str]:
    if isinstance(instance, Article):
        if deleted:
            return story_withdrawn_keys(instance, instance.is_published, deleted=True)
        stored = instance.stored()
        return story_withdrawn_keys(instance, stored is not None and stored.is_published)
    return set()


def change_keys(instance, deleted: bool) -> set[str]:
    if isinstance(instance, Article):
        return story_change_keys(instance, None if deleted else instance.stored())
    if isinstance(instance, Section):
        return {caching.EVERYTHING}  # the section navigation is on every page
    if isinstance(instance, Photo):
        if deleted:
            return {caching.EVERYTHING}  # the stories it led no longer point at it
        # A story page names every photo it shows (photo-<id>: its lead photo and the photos in
        # its blocks, credits included); cards on lists show lead photos under their story's
        # key; feeds carry lead photos as enclosures and block photos in their content; a
        # social image shows in the story's head.
        stories = Article.objects.showing(instance).values_list("pk", flat=True)
        return {story_key(pk) for pk in stories} | {photo_key(instance.pk), "feeds"}
    # Feeds name stories' authors but no single story page: they are purged as a whole.
    if isinstance(instance, Author):
        return {author_key(instance.pk), "feeds"}
    if isinstance(instance, Byline):
        return {story_key(instance.article_id), author_key(instance.author_id), "feeds"}
    if isinstance(instance, Tag):
        return {tag_key(instance.pk)}
    if isinstance(instance, EmbedPreview):
        # The structured data of the stories embedding the video names its title and thumbnail.
        embedding = Article.objects.filter(blocks__contains=[{"url": instance.url}])
        return {story_key(pk) for pk in embedding.values_list("pk", flat=True)}
    if isinstance(instance, TaggedArticle):
        return {story_key(instance.content_object_id), tag_key(instance.tag_id), "feeds"}
    return {caching.EVERYTHING}


# The front page's layout and slots, corrections and contributors purge everything: every page starts afresh (they
# are rare, and show on home, the story, /corrections/ and feeds alike). So do the breaking-news
# banner and the policy pages: every reader page shows them (the banner, its footer links, the
# organisation's JSON-LD), and a banner must be on every page at once, not once copies expire.
SHOWN_ON_CACHED_PAGES = (
    Article, Section, Photo, Author, Byline, Tag, TaggedArticle,
    FrontPageLayout, FrontPageSlot, Correction, Contributor, BreakingBanner, PolicyPage,
    EmbedPreview,
)  # fmt: skip


def remember_stored_story(sender, instance, raw=False, **kwargs):
    """Where the story was before this save (its section, whether it was public): read here,
    before the row is written, for refresh_cached_pages after it."""
    if not raw:
        instance.stored()


def refresh_cached_pages(sender, instance, signal, raw=False, **kwargs):
    """Pages showing the change start afresh once it is committed: a page rendered from the
    data before the commit must not be served as the new version."""
    if not raw and (keys := change_keys(instance, signal is post_delete)):
        caching.purge(keys, withdrawn=withdrawn_keys(instance, signal is post_delete))


def register_signal_handlers() -> None:
    """Connected after the other apps' handlers: a photo's renditions exist before its pages
    are purged."""
    pre_save.connect(remember_stored_story, sender=Article)
    for model in SHOWN_ON_CACHED_PAGES:
        uid = f"pages-{model.__name__}"
        post_save.connect(refresh_cached_pages, sender=model, dispatch_uid=uid)
        post_delete.connect(refresh_cached_pages, sender=model, dispatch_uid=uid)
