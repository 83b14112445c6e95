from django.urls import path

from .caching import reader_page
from .public import feeds, live, machine_views, policies, views

machine_readable = reader_page("feeds", max_age=machine_views.MACHINE_MAX_AGE)

app_name = "articles"

# Fixed paths first: a section slug can never take one of them (see RESERVED_SECTION_SLUGS).
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("feed/", machine_readable(feeds.LatestStoriesFeed()), name="feed"),
    path(
        "feed/section/<slug:slug>/",
        machine_readable(feeds.SectionFeed()),
        name="section_feed",
    ),
    path(
        "feed/tag/<slug:slug>/",
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
        "feed/author/<slug:slug>/",
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
    path("tag/<slug:slug>/", views.tag, name="tag"),
    path("author/<slug:slug>/", views.author, name="author"),
    path("<slug:slug>/", views.section, name="section"),
    path("<slug:section>/<slug:slug>/", views.article, name="article"),
    # A live story's poll address: the same for every reader (articles/public/live.py).
    path("<slug:section>/<slug:slug>/live.json", live.updates, name="live_updates"),
]
