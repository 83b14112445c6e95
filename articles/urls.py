from django.urls import path
from django.views.decorators.cache import cache_control

from . import feeds, views
from .page_cache import anonymous_page_cache

# Feeds and sitemaps are polled by machines: let them and shared caches reuse a copy briefly.
machine_readable = cache_control(public=True, max_age=300)

app_name = "articles"

# Fixed paths first: a section slug can never take one of them (see RESERVED_SECTION_SLUGS).
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("feed/", machine_readable(anonymous_page_cache(feeds.LatestStoriesFeed())), name="feed"),
    path(
        "feed/section/<slug:slug>/",
        machine_readable(anonymous_page_cache(feeds.SectionFeed())),
        name="section_feed",
    ),
    path(
        "feed/tag/<slug:slug>/",
        machine_readable(anonymous_page_cache(feeds.TagFeed())),
        name="tag_feed",
    ),
    path("corrections/", views.corrections, name="corrections"),
    path(
        "corrections/feed/",
        machine_readable(anonymous_page_cache(feeds.CorrectionsFeed())),
        name="corrections_feed",
    ),
    path(
        "feed/author/<slug:slug>/",
        machine_readable(anonymous_page_cache(feeds.AuthorFeed())),
        name="author_feed",
    ),
    path("robots.txt", machine_readable(views.robots_txt), name="robots_txt"),
    path("sitemap.xml", machine_readable(views.sitemap), name="sitemap"),
    path("sitemap-news.xml", machine_readable(views.news_sitemap), name="news_sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        machine_readable(views.sitemap_section),
        name="sitemap_section",
    ),
    path("preview/<int:pk>/", views.preview, name="preview"),
    path("tag/<slug:slug>/", views.tag, name="tag"),
    path("author/<slug:slug>/", views.author, name="author"),
    path("<slug:slug>/", views.section, name="section"),
    path("<slug:section>/<slug:slug>/", views.article, name="article"),
]
