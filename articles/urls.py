from django.urls import path, register_converter
from django.urls.converters import StringConverter

from .caching import reader_page
from .public import feeds, live, machine_views, policies, views

machine_readable = reader_page("feeds", max_age=machine_views.MACHINE_MAX_AGE)

app_name = "articles"


class WordSlugConverter(StringConverter):
    """A slug in any alphabet (Django's <slug:> is ASCII only): sections, stories, topics and
    authors of a Hebrew or Arabic edition have addresses in its script (articles/models/stories.py
    says why). Letters, digits, underscores and hyphens, as slugify(allow_unicode=True) makes."""

    regex = r"[-\w]+"


register_converter(WordSlugConverter, "word")

# Fixed paths first: a section slug can never take one of them (see RESERVED_SECTION_SLUGS).
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("feed/", machine_readable(feeds.LatestStoriesFeed()), name="feed"),
    path(
        "feed/section/<word:slug>/",
        machine_readable(feeds.SectionFeed()),
        name="section_feed",
    ),
    path(
        "feed/tag/<word:slug>/",
        machine_readable(feeds.TagFeed()),
        name="tag_feed",
    ),
    path("corrections/", views.corrections, name="corrections"),
    path("about/<slug:kind>/", policies.policy, name="policy"),
    path(
        "corrections/feed/",
        machine_readable(feeds.CorrectionsFeed()),
        name="corrections_feed",
    ),
    path(
        "feed/author/<word:slug>/",
        machine_readable(feeds.AuthorFeed()),
        name="author_feed",
    ),
    path("robots.txt", machine_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", machine_views.sitemap, name="sitemap"),
    path("sitemap-news.xml", machine_views.news_sitemap, name="news_sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        machine_views.sitemap_section,
        name="sitemap_section",
    ),
    path("preview/<int:pk>/", views.preview, name="preview"),
    path("tag/<word:slug>/", views.tag, name="tag"),
    path("author/<word:slug>/", views.author, name="author"),
    path("<word:slug>/", views.section, name="section"),
    path("<word:section>/<word:slug>/", views.article, name="article"),
    # A live story's poll address: the same for every reader (articles/public/live.py).
    path("<word:section>/<word:slug>/live.json", live.updates, name="live_updates"),
]
