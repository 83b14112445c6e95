"""The breaking-news banner (issue 21): editors set one line with a link and an expiry; it is on
every reader page at once (its save purges every page, here and in front) and gone when it
expires (pages showing it are kept no longer than it lasts)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, BreakingBanner
from tests.factories import make_article, make_author, make_section
from tests.wsgi_client import wsgi_get

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_breakingbanner_add")
BANNER = '<section class="breaking-banner" aria-label="Breaking news">'


@pytest.fixture
def site():
    """A story with a section, topic and author: one of each kind of reader page."""
    world, writer = make_section("World", slug="world"), make_author(slug="dana-levi")
    return make_article(
        section=world, authors=[writer], tags=["Elections"], headline="Polls open", slug="polls"
    )


READER_PAGES = [
    "/", "/world/", "/world/polls/", "/tag/elections/", "/author/dana-levi/", "/search/?q=polls",
    "/corrections/", "/comments/{pk}/",
]  # fmt: skip


def pages(story) -> list[str]:
    return [url.format(pk=story.pk) for url in READER_PAGES]


def expiry_fields(moment) -> dict:
    local = timezone.localtime(moment)
    return {"expires_at_0": f"{local:%Y-%m-%d}", "expires_at_1": f"{local:%H:%M:%S}"}


def test_an_editors_banner_is_on_every_reader_page_at_once(
    client, editor, settings, site, purges, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    for url in pages(site):
        assert BANNER not in client.get(url).content.decode(), url  # and kept in the cache

    staff = type(client)()
    staff.force_login(editor)
    data = {
        "text": "Polls close at 22:00",
        "story": site.pk,
        **expiry_fields(timezone.now() + timedelta(hours=2)),
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert staff.post(ADD_URL, data).status_code == 302

    assert len(purges) == 1
    assert "site" in purges[0]  # every page, in every shared cache in front
    for url in pages(site):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert BANNER in page, url
        assert '<a href="/world/polls/">Polls close at 22:00</a>' in page, url
    assert BANNER in client.get("/no-such-section/").content.decode()


def test_the_banner_is_a_labelled_region_before_the_main_content_with_no_script(client, site):
    BreakingBanner.objects.create(
        text="Polls close", story=site, expires_at=timezone.now() + timedelta(hours=1)
    )

    page = client.get("/").content.decode()
    banner = page[page.index(BANNER) : page.index("</section>", page.index(BANNER))]

    assert page.index("</header>") < page.index(BANNER) < page.index('<main id="main"')
    assert '<strong class="breaking-label">Breaking</strong>' in banner
    assert "<script" not in banner


def test_a_banner_without_a_story_is_plain_text(client, site):
    BreakingBanner.objects.create(
        text="Storm warning", expires_at=timezone.now() + timedelta(hours=1)
    )

    assert '<strong class="breaking-label">Breaking</strong> Storm warning</p>' in (
        client.get("/").content.decode()
    )


def test_a_banner_never_links_a_story_readers_cannot_open(client, site, editor):
    banner = BreakingBanner.objects.create(
        text="Polls close", story=site, expires_at=timezone.now() + timedelta(hours=1)
    )
    site.unpublish(by=editor)

    page = client.get("/").content.decode()

    assert "Polls close" in page
    assert "/preview/" not in page
    assert banner.link == ""


def test_a_page_showing_a_banner_is_kept_no_longer_than_the_banner(client, site):
    BreakingBanner.objects.create(
        text="Polls close", story=site, expires_at=timezone.now() + timedelta(seconds=20)
    )

    cache_control = client.get("/").headers["Cache-Control"]

    max_age = int(cache_control.split("max-age=")[1].split(",")[0])
    assert 18 <= max_age <= 20
    assert "s-maxage=" in cache_control and "stale-while-revalidate=0" in cache_control


def test_pages_without_a_banner_keep_their_whole_lifetime(client, site):
    cache_control = client.get("/").headers["Cache-Control"]

    assert "max-age=60" in cache_control and "stale-while-revalidate=30" in cache_control


def test_an_expired_banner_is_not_served_from_any_copy(client, settings, site, clock):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    BreakingBanner.objects.create(
        text="Polls close", story=site, expires_at=timezone.now() + timedelta(seconds=20)
    )
    for url in pages(site):
        assert BANNER in client.get(url).content.decode(), url
    # Twice each through the WSGI application: the second answer is kept before Django.
    for _ in range(2):
        assert BANNER in wsgi_get("/world/").body.decode()

    clock(21)  # the banner expires; nobody does anything

    for url in pages(site):
        assert BANNER not in client.get(url).content.decode(), url
    answer = wsgi_get("/world/")
    assert BANNER not in answer.body.decode()


def test_an_older_banner_still_running_shows_once_the_newer_expires(client, site, clock):
    BreakingBanner.objects.create(
        text="Older news", expires_at=timezone.now() + timedelta(hours=1),
        created_at=timezone.now() - timedelta(minutes=5),
    )  # fmt: skip
    BreakingBanner.objects.create(
        text="Newer news", expires_at=timezone.now() + timedelta(seconds=20)
    )
    assert "Newer news" in client.get("/").content.decode()

    clock(21)

    page = client.get("/").content.decode()
    assert "Older news" in page and "Newer news" not in page


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"text": "Polls close\nat ten"}, "The banner is one line: remove the line breaks."),
        ({"expires": -60}, "This time has passed: the banner would never show."),
        ({"draft_story": True}, "Readers cannot open this story yet: link a published story."),
    ],
    ids=["two lines", "expired", "unpublished story"],
)
def test_the_admin_refuses_a_banner_that_could_not_show_as_set(editor_client, site, fields, error):
    story = make_article(status=Article.Status.DRAFT) if fields.get("draft_story") else site
    data = {
        "text": fields.get("text", "Polls close"),
        "story": story.pk,
        **expiry_fields(timezone.now() + timedelta(seconds=fields.get("expires", 3600))),
    }

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not BreakingBanner.objects.exists()


def test_a_reporter_cannot_set_a_banner(reporter_client, site):
    data = {"text": "Polls close", **expiry_fields(timezone.now() + timedelta(hours=1))}

    assert reporter_client.post(ADD_URL, data).status_code == 403
    assert not BreakingBanner.objects.exists()
