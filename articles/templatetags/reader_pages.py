"""The stories' helpers of reader pages, as the Jinja2 templates of templates/reader/ call them
(newsroom/reader_templates.py): the same functions site_tags gives the back office's Django
templates, and a story card kept per story."""

from django.template import defaultfilters
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from jinja2 import pass_context

from articles import caching
from articles.public import banner, navigation, policies, sitemaps

from . import site_tags

CARD_TEMPLATE = "includes/story_card.html"


@pass_context
def story_card(context, story, size="card", level=3, marked=False, kept=True):
    """A story in a list: includes/story_card.html with nothing of the page but these
    arguments, so a kept card is the same whichever page made it. Kept for anonymous readers
    like the page's other parts (caching.shared_part: while the content version holds, which
    every editorial change moves), one key per story, size, level, language and the text of its
    relative time, so a card never shows a time older than a whole page would. Pages of the same
    stories (home, sections, topics, authors) then assemble kept cards. Rendered each time:
    search results, their matches marked, and cards inside a part kept whole (`kept=False`: a
    story page's related stories, kept with the story), which keeping one by one as well would
    only cost a write each for every story a crawler reads."""

    def make():
        card = context.environment.get_template(CARD_TEMPLATE)
        return card.render(story=story, size=size, level=level, marked=marked)

    request = context.get("request")
    if marked or not kept or request is None or caching.fragment_seconds() <= 0:
        return mark_safe(make())
    when = site_tags.relative_time(story.published_at) if story.published_at else ""
    name = f"card:{story.pk}:{size}:{level}:{get_language()}:{when}"
    return mark_safe(caching.shared_part(request, name, make))


@pass_context
def absolute_url(context, path: str) -> str:
    return context["request"].build_absolute_uri(path)


@pass_context
def nav_sections(context) -> list[dict]:
    return navigation.sections(context.get("request"))


@pass_context
def policy_pages(context) -> list[dict]:
    return policies.written(context.get("request"))


@pass_context
def breaking_banner(context):
    return banner.current(context.get("request"))


def sitemap_urls(urls):
    return mark_safe(sitemaps.url_elements(urls))


def linebreaks(value):
    return defaultfilters.linebreaks_filter(value, autoescape=True)


def linebreaksbr(value):
    return defaultfilters.linebreaksbr(value, autoescape=True)


GLOBALS = {
    "story_card": story_card,
    "absolute_url": absolute_url,
    "nav_sections": nav_sections,
    "policy_pages": policy_pages,
    "breaking_banner": breaking_banner,
    "picture": site_tags.picture,
    "byline": site_tags.byline,
    "story_time": site_tags.story_time,
    "card_image": site_tags.card_image,
}

FILTERS = {
    "date": site_tags.local_date,
    "edition_date": site_tags.edition_date,
    "w3c_datetime": site_tags.w3c_datetime,
    "highlight": site_tags.highlight,
    "json_ld": site_tags.json_ld,
    "linebreaks": linebreaks,
    "linebreaksbr": linebreaksbr,
    "urlencode": defaultfilters.urlencode,
    "sitemap_urls": sitemap_urls,
}
