"""Exact freshness: every change readers should see shows on the next request, on every page
that shows it, in every worker, with the local-memory cache and with Redis; and a cache hit
runs no database query at all."""

import os

import pytest
from django.core.cache import caches

from articles.caching import CONTENT, current_versions
from articles.models import Article
from comments.models import Comment
from tests.factories import make_article, make_author, make_photo, make_section
from tests.factories_comments import comments_region, make_comment
from tests.wsgi_client import wsgi_get

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["local memory", "redis"])
def backend(request, settings, tmp_path):
    """The page cache on, and what each worker process would have: with local memory, a cache
    of its own per worker and the versions in files they share; with Redis, one shared cache."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    if request.param == "redis":
        url = f"redis://127.0.0.1:6379/{os.environ.get('TEST_REDIS_DB', '9')}"
        redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        settings.CACHES = {"default": redis, "versions": redis}
        caches["default"].clear()  # flushes this run's Redis database only
        yield lambda worker: None
        caches["default"].clear()
        return
    versions = settings.CACHES["versions"]

    def worker(name):
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": name,
            },
            "versions": versions,
        }

    yield worker


@pytest.fixture
def world():
    return make_section("World", slug="world")


@pytest.fixture
def story(world):
    return make_article(
        section=world,
        headline="Talks resume in Cairo",
        authors=[make_author("Dana Levi", slug="dana-levi")],
        tags=["Energy"],
        lead_photo=make_photo(photographer="Alexandros Michailidis", agency="Shutterstock"),
    )


def pages_of(story) -> list[str]:
    return [story.get_absolute_url(), "/", "/world/", "/tag/energy/", "/feed/"]


def seen(url: str) -> str:
    """The page as gunicorn serves it: answers kept before Django (served_copies) included."""
    answer = wsgi_get(url)
    assert answer.status == 200, url
    return answer.body.decode()


def warm(backend, urls):
    """Each worker caches every page first, and keeps its whole answer (the second request)."""
    for worker in ("worker-1", "worker-2"):
        backend(worker)
        for url in urls:
            seen(url)
            seen(url)


def change_in_another_worker(backend, capture, change):
    backend("worker-2")
    with capture(execute=True):
        change()
    backend("worker-1")


def test_a_cache_hit_runs_no_database_query(backend, django_assert_num_queries, story):
    urls = [*pages_of(story), "/sitemap.xml", "/robots.txt", f"/comments/{story.pk}/"]
    for url in urls:
        seen(url)

    for url in urls:
        with django_assert_num_queries(0):
            seen(url)


def test_editing_a_headline_shows_everywhere_at_once(
    backend, django_capture_on_commit_callbacks, story
):
    warm(backend, pages_of(story))

    def edit():
        story.headline = "Talks collapse in Cairo"
        story.save()

    change_in_another_worker(backend, django_capture_on_commit_callbacks, edit)

    for url in pages_of(story):
        html = seen(url)
        assert "Talks collapse in Cairo" in html, url
        assert "Talks resume in Cairo" not in html, url


def test_publishing_shows_everywhere_at_once(
    backend, django_capture_on_commit_callbacks, editor, story, world
):
    draft = make_article(
        section=world, headline="Breaking: a deal", tags=["Energy"], status=Article.Status.DRAFT
    )
    warm(backend, pages_of(story))

    change_in_another_worker(
        backend, django_capture_on_commit_callbacks, lambda: draft.publish(by=editor)
    )

    for url in pages_of(story):
        assert "Breaking: a deal" in seen(url), url
    assert "Breaking: a deal" in seen(draft.get_absolute_url())


def test_unpublishing_removes_the_story_everywhere_at_once(
    backend, django_capture_on_commit_callbacks, editor, story, world
):
    make_article(section=world, tags=["Energy"])  # the topic keeps a story
    url = story.get_absolute_url()
    warm(backend, pages_of(story))

    change_in_another_worker(
        backend, django_capture_on_commit_callbacks, lambda: story.unpublish(by=editor)
    )

    assert wsgi_get(url).status == 404
    for page in pages_of(story)[1:]:
        assert "Talks resume in Cairo" not in seen(page), page


def test_a_new_photo_credit_shows_at_once(backend, django_capture_on_commit_callbacks, story):
    warm(backend, pages_of(story))

    def credit():
        story.lead_photo.photographer = "Miriam Alster"
        story.lead_photo.save()

    change_in_another_worker(backend, django_capture_on_commit_callbacks, credit)

    assert "Photo: Miriam Alster / Shutterstock" in seen(story.get_absolute_url())


def test_moving_a_story_to_another_section_shows_at_once(
    backend, django_capture_on_commit_callbacks, story
):
    business = make_section("Business", slug="business")
    warm(backend, [*pages_of(story), "/business/"])

    def move():
        story.section = business
        story.save()

    change_in_another_worker(backend, django_capture_on_commit_callbacks, move)

    assert "Talks resume in Cairo" in seen("/business/")
    assert "Talks resume in Cairo" not in seen("/world/")
    assert wsgi_get("/world/talks-resume-in-cairo/").status in (301, 404)


def test_tagging_and_untagging_show_at_once(backend, django_capture_on_commit_callbacks, story):
    make_article(tags=["Gas"])  # the new topic has a page already
    warm(backend, [*pages_of(story), "/tag/gas/"])

    def retag():
        story.tags.remove("Energy")
        story.tags.add("Gas")

    change_in_another_worker(backend, django_capture_on_commit_callbacks, retag)

    assert "Talks resume in Cairo" in seen("/tag/gas/")
    article = seen(story.get_absolute_url())
    assert 'href="/tag/gas/" rel="tag"' in article
    assert 'href="/tag/energy/" rel="tag"' not in article


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_a_moderators_decision_shows_at_once(
    backend, django_capture_on_commit_callbacks, moderator, story, decision
):
    status = Comment.Status.PENDING if decision == "approve" else Comment.Status.APPROVED
    comment = make_comment(story, body="A comment in question.", status=status)
    pages = [story.get_absolute_url(), f"/comments/{story.pk}/"]
    warm(backend, pages)
    assert ("A comment in question." in seen(pages[0])) == (decision == "reject")

    change_in_another_worker(
        backend,
        django_capture_on_commit_callbacks,
        lambda: getattr(comment, decision)(
            by=moderator, **({"reason": "abusive"} if decision == "reject" else {})
        ),
    )

    for url in pages:
        shown = "A comment in question." in comments_region(seen(url))
        assert shown == (decision == "approve"), url


def test_a_new_pending_comment_leaves_every_page_cached(
    backend, django_assert_num_queries, django_capture_on_commit_callbacks, story
):
    warm(backend, pages_of(story))
    before = current_versions([CONTENT])

    with django_capture_on_commit_callbacks(execute=True):
        make_comment(story, status=Comment.Status.PENDING)

    assert current_versions([CONTENT]) == before
    with django_assert_num_queries(0):
        seen(story.get_absolute_url())


def test_an_emptied_cache_means_fresh_pages_never_old_ones(
    backend, django_capture_on_commit_callbacks, story
):
    backend("worker-1")
    seen(story.get_absolute_url())
    caches["versions"].clear()  # the versions are lost (a restart)
    Article.objects.filter(pk=story.pk).update(headline="Changed while the cache was away")

    assert "Changed while the cache was away" in seen(story.get_absolute_url())


def test_renaming_a_section_shows_on_every_page_at_once(
    backend, django_capture_on_commit_callbacks, story, world
):
    warm(backend, pages_of(story))

    def rename():
        world.name = "World news"
        world.save()

    change_in_another_worker(backend, django_capture_on_commit_callbacks, rename)

    for url in pages_of(story)[:-1]:  # the feed names no sections
        assert ">World news</a>" in seen(url), url


def test_renaming_a_tag_shows_on_the_story_and_its_topic_page_at_once(
    backend, django_capture_on_commit_callbacks, story
):
    warm(backend, pages_of(story))
    tag = story.tags.get()

    def rename():
        tag.name = "Energy policy"
        tag.save()

    change_in_another_worker(backend, django_capture_on_commit_callbacks, rename)

    assert 'rel="tag">Energy policy</a>' in seen(story.get_absolute_url())
    assert "Energy policy" in seen("/tag/energy/")
