"""Reader pages. Each view builds its querysets here, once, so templates never query."""

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles.caching import conditional, reader_page, shared_part, shows
from articles.models import (
    Article,
    ArticleRedirect,
    Correction,
)
from articles.models.contributors import credit_lines
from articles.models.front_page import front_page
from articles.models.kept_queries import attach_bylines, attach_tags
from articles.models.story_parts import attach_corrections_and_contributors

from . import live, page_queries, search, seo
from .blocks import page_blocks
from .front_page import candidates as front_page_candidates
from .invalidation import (
    author_key,
    keys_for_stories,
    photo_key,
    section_key,
    story_key,
    tag_key,
)
from .pagination import BoundedPaginator
from .story_query import article_queryset

HOME_STORIES = 12
PER_PAGE = page_queries.PER_PAGE


def story_page(request, stories, per_page=PER_PAGE, paginator_class=Paginator):
    """One page of `stories`; a page number that is not a page is a 404, not page 1."""
    try:
        return paginator_class(stories, per_page).page(request.GET.get("page", 1))
    except InvalidPage:
        raise Http404("No such page.") from None


@require_safe
@reader_page("home", "latest")
def home(request):
    places, stories, slotted = front_page_candidates(HOME_STORIES, words=False)
    lead, top = front_page(stories, slotted, places)
    shown = [story.pk for story in (lead, *top) if story is not None]
    blocks = page_queries.section_blocks(exclude=shown)
    on_page = [*stories, *slotted, *(story for _, group in blocks for story in group)]
    attach_bylines(on_page)
    shows(request, keys_for_stories(on_page))
    return render(
        request,
        "articles/home.html",
        {
            "lead": lead,
            "top": top,
            "latest": stories[: page_queries.RAIL_LENGTH],
            "blocks": blocks,
            "structured_data": [seo.website(request), seo.organization(request)],
        },
    )


def article_context(request, story: Article, page: int = 1) -> dict:
    """Everything the article page shows besides comments, in four queries after the story's
    own: its tags, related stories, the latest-news rail and every byline on the page; and its
    corrections and contributors only when the story's query found it has some (few do).
    Its blocks ask nothing more: their photos come in the story's row (article_queryset), the
    stories its cards link to with the related stories (blocks.with_linked_stories). A live
    story's entries (page `page` of them) are two more, however many there are (live.py)."""
    attach_corrections_and_contributors([story])
    tags = attach_tags(story)
    related, linked = page_queries.related(story, [tag.pk for tag in tags])
    latest = page_queries.latest_rail(story)
    blocks = page_blocks(story, linked)
    entries = live.live_page(story, page)
    cards = [*blocks.stories, *(entries.stories if entries else [])]
    attach_bylines([story, *related, *latest, *cards])
    structured = seo.news_article(story, request, blocks.photos, blocks.embeds, blocks.previews)
    if entries is not None:
        structured.update(live.structured_data(entries, request))
    return {
        "article": story,
        "page_blocks": blocks,
        "live": entries,
        "tags": tags,
        "corrections": story.corrections.all(),
        "contributor_lines": credit_lines(story.contributors.all()),
        "related": related,
        "latest": latest,
        "description": seo.description(story),
        "social_title": seo.social_title(story),
        "social_image": seo.social_image(seo.social_photo(story)),
        "structured_data": [structured, seo.breadcrumbs(story, request)],
    }


def story_parts(request, story: Article, page: int = 1) -> dict:
    """The article page's HTML apart from the comments region, what it shows (surrogate keys)
    and when it last changed: its Last-Modified. The site's header and footer are kept with it:
    on a story's page they depend only on the section navigation (the content version)."""
    context = article_context(request, story, page)
    latest = context["latest"]
    blocks = context["page_blocks"]
    entries = context["live"]
    shown = [*blocks.stories, *(entries.stories if entries else [])]
    keys = keys_for_stories([story, *context["related"], *latest, *shown])
    keys.update(tag_key(tag.pk) for tag in context["tags"])
    photos = [story.lead_photo, *blocks.photos, *(entries.photos if entries else [])]
    keys.update(photo_key(photo.pk) for photo in photos if photo)
    return {
        "keys": sorted(keys),
        "description": context["description"],
        "social": render_to_string("articles/_social.html", context, request),
        "structured_data": seo.json_ld(context["structured_data"]),
        "story": render_to_string("articles/_story.html", context, request),
        "rail": render_to_string("includes/latest_rail.html", {"stories": latest}, request),
        "header": render_to_string("includes/header.html", {}, request),
        "footer": render_to_string("includes/footer.html", {}, request),
        # A live story's entries move its date_modified (revised_at), not its updated_at.
        "last_modified": max(
            [story.modified_at, story.date_modified, *(other.published_at for other in latest[:1])]
        ),
    }


def published_story_and_parts(request, slug: str, page: int = 1):
    """The published story at `slug` and its page's parts (a live story's `page` of entries),
    or None."""
    story = page_queries.published_story(slug)
    if story is None:
        return None
    return story, story_parts(request, story, page)


def moved_story(request):
    """A story's old address: a permanent redirect to where the story is now, else 404."""
    moved = (
        ArticleRedirect.objects.select_related("article__section")
        .filter(old_path=request.path)
        .first()
    )
    if moved is not None and moved.article.is_published:
        return redirect(moved.article, permanent=True)
    raise Http404("No such story.")


@require_safe
# `comment`: the outcome of a comment just posted; `page`: a live story's older entries.
@reader_page("latest", params=("comment", "page"))
def article(request, section, slug):
    # The story and its parts are kept together: a view of a kept story runs no query at all.
    page = live.page_number(request)
    found = shared_part(
        request,
        f"story:{slug}" if page == 1 else f"story:{slug}:page-{page}",
        lambda: published_story_and_parts(request, slug, page),
    )
    if found is None:
        return moved_story(request)
    story, parts = found
    if story.section.slug != section:
        return redirect(story, permanent=True)
    shows(request, parts["keys"])
    response = render(request, "articles/article.html", {"article": story, "parts": parts})
    return conditional(request, response, last_modified=parts["last_modified"])


@require_safe
@never_cache
@staff_member_required
def preview(request, pk):
    """Any story as readers will see it, for staff: drafts, stories in review and scheduled ones.

    Only for those who may view or change stories in the back office: staff status alone
    (a moderator) does not open unpublished stories.
    """
    if not (
        request.user.has_perm("articles.view_article")
        or request.user.has_perm("articles.change_article")
    ):
        raise PermissionDenied
    story = get_object_or_404(article_queryset(), pk=pk)
    return render(
        request,
        "articles/article.html",
        {"article": story, "parts": story_parts(request, story), "preview": True},
    )


def listing(
    request,
    field: str,
    subject,
    *,
    key: str,
    kind: str,
    title: str,
    about: str,
    feed: str,
    intro: str = "",
    must_have_stories: bool = False,
    profile: bool = False,
    top: Article | None = None,
    **context,
):
    """A section, topic or author page: the newest public stories whose `field` (one of
    page_queries.LISTED_BY) is `subject`, 12 a page, after the `top` story editors chose (first
    on page 1, on no other page). Archives run to thousands of stories, so only a few pages
    ahead are counted."""
    if request.GET.get("page", "1") == "1":
        page = page_queries.first_page(field, subject.pk, top)
    else:
        cards = page_queries.later_pages(field, subject.pk, top)
        page = story_page(request, cards, paginator_class=BoundedPaginator)
        page.object_list = list(page.object_list)
    # The top story's bylines come with the page's, in the one query.
    attach_bylines([*([top] if top else []), *page.object_list])
    if top is not None and page.number > 1:
        top = None
    if must_have_stories and not page.paginator.count:
        # One only unpublished stories use could give those stories away.
        raise Http404(f"No such {kind.lower()}.")
    shows(request, {key, *keys_for_stories([*page, *([top] if top else [])])})
    return render(
        request,
        "articles/list.html",
        {
            "kind": kind,
            "title": title,
            "intro": intro,
            "page": page,
            "top": top,
            "feed_url": feed,
            "social": {**seo.listing_card(title, about, page), "profile": profile},
            **context,
        },
    )  # fmt: skip


@require_safe
@reader_page(params=("page",))
def section(request, slug):
    sect = page_queries.by_slug(page_queries.SECTION, slug)
    # The editors' choice leads while it is public; otherwise the page is the newest stories.
    top = sect.top_story if sect.top_story and sect.top_story.is_published else None
    return listing(
        request,
        "section",
        sect,
        key=section_key(sect.pk),
        kind=_("Section"),
        title=sect.name,
        intro=sect.description,
        about=sect.description
        or _("The latest %(section)s stories from %(site_name)s.")
        % {"section": sect.name, "site_name": settings.NEWSROOM_SITE_NAME},
        feed=reverse("articles:section_feed", kwargs={"slug": sect.slug}),
        top=top,
    )


@require_safe
@reader_page(params=("page",))
def tag(request, slug):
    topic = page_queries.by_slug(page_queries.TAG, slug)
    return listing(
        request,
        "tags",
        topic,
        key=tag_key(topic.pk),
        kind=_("Topic"),
        title=topic.name,
        about=_("Stories about %(topic)s from %(site_name)s.")
        % {"topic": topic.name, "site_name": settings.NEWSROOM_SITE_NAME},
        feed=reverse("articles:tag_feed", kwargs={"slug": topic.slug}),
        must_have_stories=True,
    )


@require_safe
@reader_page(params=("page",))
def author(request, slug):
    person = page_queries.by_slug(page_queries.AUTHOR, slug)
    # Someone with no published story yet (a new hire, a draft's byline) has no public page.
    return listing(
        request,
        "authors",
        person,
        key=author_key(person.pk),
        kind=_("Author"),
        title=person.name,
        intro=person.bio,
        about=person.bio
        or _("Stories by %(author)s for %(site_name)s.")
        % {"author": person.name, "site_name": settings.NEWSROOM_SITE_NAME},
        feed=reverse("articles:author_feed", kwargs={"slug": person.slug}),
        must_have_stories=True,
        profile=True,
        structured_data=seo.profile_page(person, request),
    )


@require_safe
@reader_page("latest", params=("q", "page"))
def search_page(request):
    terms = search.clean_query(request.GET.get("q", ""))
    page = None
    if terms:
        page = story_page(request, search.search(terms))
        page.object_list = list(page.object_list)
        attach_bylines(page.object_list)
        shows(request, keys_for_stories(page))
    return render(
        request,
        "articles/search.html",
        {"terms": terms, "page": page, "candidates": search.SEARCH_CANDIDATES},
    )


CORRECTIONS_PER_PAGE = 20


# Feeds and sitemaps are polled by machines: let them and shared caches reuse a copy longer.
@require_safe
@reader_page("corrections", params=("page",))
def corrections(request):
    """/corrections/: what the newsroom got wrong and put right, newest first."""
    page = Paginator(
        Correction.objects.published()
        .select_related("article__section")
        .order_by("-published_at", "-pk"),
        CORRECTIONS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    shows(request, {story_key(c.article_id) for c in page})
    return render(request, "articles/corrections.html", {"page": page})
