"""Sitemaps: every published story (an index once there are many), sections, and Google News.

A story's lastmod is its `date_modified`, the time its structured data gives as dateModified
(the visible "Updated" time, else publication); the home page and sections take their newest.
Every lastmod is written with its time of day (Django's own template writes the date only).
"""

from datetime import datetime, timedelta
from html import escape

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from articles.models import (
    Article,
    Kind,
    Section,
    W3CText,
    change_time,
    modified_time_sql,
    public_paths,
    published_count,
)

from .seo import w3c_datetime

NEWS_WINDOW = timedelta(hours=48)


def url_elements(urls) -> str:
    """The <url> elements of Django's sitemap entries (`Sitemap.get_urls()`), with no space
    between them: what a sitemap page writes for each of its thousands of stories, written
    here rather than by the template, in a fraction of the time a template loop takes each.
    A lastmod is a time, or already its text (a story row's: StoryRowsSitemap)."""
    return "".join(
        f"<url><loc>{escape(url['location'])}</loc>"
        + (f"<lastmod>{_w3c(url['lastmod'])}</lastmod>" if url["lastmod"] else "")
        + (f"<changefreq>{escape(url['changefreq'])}</changefreq>" if url["changefreq"] else "")
        + (f"<priority>{escape(url['priority'])}</priority>" if url["priority"] else "")
        + "</url>"
        for url in urls
    )


def _w3c(lastmod) -> str:
    return lastmod if isinstance(lastmod, str) else w3c_datetime(lastmod)


def story_rows(stories, *more: str, named: bool = False):
    """Rows of `stories`, not stories: a sitemap names thousands, and each needs only its
    address (public_path: id, section, slug), its date_modified as a sitemap writes it
    (`modified`: its revision time or publication, whichever is later, modified_time_sql, as
    W3C text) and `more` of its fields."""
    return stories.annotate(modified=W3CText(modified_time_sql())).values_list(
        "pk", "section__slug", "slug", "modified", *more, named=named
    )


class StoryRowsSitemap(Sitemap):
    """A sitemap of stories whose items() are story_rows()."""

    def get_urls(self, page=1, site=None, protocol=None):
        """Django's entries for a page of stories, each address and lastmod made from its row
        (`item`) in one loop: Django's own loop asks location(), lastmod(), priority() and
        changefreq() of every one of a page's thousands of stories."""
        origin = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        path = public_paths()
        urls = []
        for row in self.paginator.page(page).object_list:
            pk, section_slug, slug, modified = row[:4]
            urls.append(
                {
                    "item": row,
                    "location": origin + path(pk, section_slug, slug),
                    "lastmod": modified,
                    "changefreq": None,
                    "priority": "",
                    "alternates": [],
                }
            )
        if urls:
            # What the view sends as Last-Modified: the page's newest change. The texts are
            # all written alike (W3CText), so the latest sorts last.
            self.latest_lastmod = datetime.fromisoformat(max(url["lastmod"] for url in urls))
        return urls


class ArticleSitemap(StoryRowsSitemap):
    # Stories per sitemap page; /sitemap.xml becomes an index when there are more.
    limit = 5000

    def items(self):
        return story_rows(self._stories())

    @staticmethod
    def _stories():
        return Article.objects.published().order_by("-published_at", "-pk")

    @cached_property
    def paginator(self):
        # Django's is a plain property: the index would count every story once per use. The
        # count comes from the database's tally, not from counting 100,000 stories.
        keys = self._stories().values("published_at", "pk")
        paginator = _IndexPaginator(self.items(), self.limit, keys)
        counted = published_count()
        if counted is not None:
            paginator.count = counted
        return paginator

    def get_latest_lastmod(self):
        # The sitemap index's date for this sitemap. Django's default calls lastmod() on every
        # story (seconds on a large archive); this is one aggregate of the same `date_modified`.
        return latest_change(Article.objects.published())


class _IndexPaginator(Paginator):
    """Pages of the stories, newest first (ordered as "article_status_pub_idx" is), where a
    later page finds where it starts by walking `keys` (the same stories, as publication time
    and id, read from the index alone) past the stories before it, then reads its own stories
    down the index from there: only the page's rows are read, in order, with nothing to sort."""

    def __init__(self, object_list, per_page, keys):
        super().__init__(object_list, per_page)
        self.keys = keys

    def page(self, number):
        page = super().page(number)
        if page.number > 1:
            bottom = (page.number - 1) * self.per_page
            first = next(iter(self.keys[bottom : bottom + 1]), None)
            if first is None:  # fewer stories than counted: some withdrawn since
                page.object_list = self.object_list.none()
            else:
                page.object_list = self.object_list.filter(
                    published_at__lte=first["published_at"]
                ).exclude(published_at=first["published_at"], pk__gt=first["pk"])[: self.per_page]
        return page


def latest_change(stories):
    """The newest `date_modified` among `stories`: the top of "article_latest_change_idx"."""
    return newest_changes(stories).first()


def newest_changes(stories):
    # Ordered by the indexed expression itself, so Postgres reads the index from its end.
    return stories.order_by(change_time().desc()).values_list(change_time(), flat=True)


class SectionSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        # Each section's newest change, in the one query that lists them: per section, the top
        # of "article_section_change_idx" rather than a MAX over every story joined.
        newest = newest_changes(Article.objects.published().filter(section=OuterRef("pk")))
        return Section.objects.annotate(latest_change=Subquery(newest[:1])).order_by(
            "position", "name"
        )

    def lastmod(self, section):
        return section.latest_change


class HomeSitemap(Sitemap):
    changefreq = "always"
    priority = 1.0

    def items(self):
        return ["articles:home"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return latest_change(Article.objects.published())


class NewsSitemap(StoryRowsSitemap):
    """Google News: stories published in the last 48 hours, at most 1000. Never a sponsored one:
    Google News takes no paid content. Each entry's `item` is its story's row, with the
    publication time and headline the template writes."""

    limit = 1000

    def items(self):
        stories = (
            Article.objects.published()
            .filter(published_at__gte=timezone.now() - NEWS_WINDOW)
            .exclude(kind=Kind.SPONSORED)
            .order_by("-published_at", "-pk")
        )
        return story_rows(stories, "published_at", "headline", named=True)[: self.limit]


SITEMAPS = {"home": HomeSitemap, "sections": SectionSitemap, "articles": ArticleSitemap}
NEWS_SITEMAPS = {"news": NewsSitemap}
