"""Pages for machines rather than readers: sitemaps and robots.txt."""

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles.caching import reader_page

from .invalidation import NEWS_SITEMAP_KEY
from .sitemaps import NEWS_SITEMAPS, SITEMAPS

MACHINE_MAX_AGE = 300
# Django's sitemap views read their page number from `p`.
SITEMAP_PARAMS = ("p",)


@require_safe
@reader_page("feeds", max_age=MACHINE_MAX_AGE, params=SITEMAP_PARAMS)
def sitemap(request):
    """/sitemap.xml: the sitemap itself, or an index of its pages once there are many stories."""
    # Instances, not classes: the stories are counted once, here, and the index reuses the count.
    sitemaps = {name: sitemap_class() for name, sitemap_class in SITEMAPS.items()}
    if sitemaps["articles"].paginator.num_pages > 1:
        return sitemap_views.index(
            request,
            sitemaps,
            template_name="articles/sitemap_index.xml",
            sitemap_url_name="articles:sitemap_section",
        )
    return sitemap_views.sitemap(request, sitemaps, template_name="articles/sitemap.xml")


@require_safe
@reader_page("feeds", max_age=MACHINE_MAX_AGE, params=SITEMAP_PARAMS)
def sitemap_section(request, section):
    return sitemap_views.sitemap(
        request, SITEMAPS, section=section, template_name="articles/sitemap.xml"
    )


@require_safe
@reader_page("feeds", NEWS_SITEMAP_KEY, max_age=MACHINE_MAX_AGE, params=SITEMAP_PARAMS)
def news_sitemap(request):
    return sitemap_views.sitemap(request, NEWS_SITEMAPS, template_name="articles/sitemap_news.xml")


@require_safe
@reader_page(max_age=MACHINE_MAX_AGE)
def robots_txt(request):
    """No database: it answers while Postgres is away."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /search/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('articles:sitemap'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('articles:news_sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
