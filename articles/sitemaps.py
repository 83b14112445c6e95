"""Sitemaps: every published story (an index once there are many), sections, and Google News."""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone

from .models import Article, Section

NEWS_WINDOW = timedelta(hours=48)


class ArticleSitemap(Sitemap):
    # Stories per sitemap page; /sitemap.xml becomes an index when there are more.
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .select_related("section")
            .only("slug", "status", "published_at", "updated_at", "section", "section__slug")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, article):
        return article.modified_at

    def get_latest_lastmod(self):
        # The sitemap index's date for this sitemap. Django's default calls lastmod() on every
        # story (seconds on a large archive); this is one aggregate of the same `modified_at`.
        latest = self.items().aggregate(latest=Max(Greatest("published_at", "updated_at")))
        return latest["latest"]


class SectionSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return Section.objects.all()


class HomeSitemap(Sitemap):
    changefreq = "always"
    priority = 1.0

    def items(self):
        return ["articles:home"]

    def location(self, name):
        return reverse(name)


class NewsSitemap(Sitemap):
    """Google News: stories published in the last 48 hours, at most 1000."""

    limit = 1000

    def items(self):
        return (
            Article.objects.published()
            .filter(published_at__gte=timezone.now() - NEWS_WINDOW)
            .select_related("section")
            .prefetch_related("tags")
            .order_by("-published_at", "-pk")[: self.limit]
        )

    def lastmod(self, article):
        return article.modified_at


SITEMAPS = {"home": HomeSitemap, "sections": SectionSitemap, "articles": ArticleSitemap}
NEWS_SITEMAPS = {"news": NewsSitemap}
