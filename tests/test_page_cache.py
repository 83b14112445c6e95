"""Whole reader pages cached for anonymous readers: fresh after every editorial change, never
for staff, never anything private."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.cache import SessionStore
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.cache import patch_cache_control

from articles.caching import reader_page
from articles.models import Article
from tests.admin_forms import article_post
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

CACHED_PAGES = [
    "/",
    "/world/",
    "/tag/energy/",
    "/author/dana-levi/",
    "/feed/",
    "/feed/section/world/",
    "/feed/tag/energy/",
    "/sitemap.xml",
    "/sitemap-news.xml",
    "/robots.txt",
]


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60


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
    )


@pytest.mark.parametrize("url", CACHED_PAGES)
def test_a_second_anonymous_request_is_served_from_the_cache(
    client, django_assert_num_queries, story, url
):
    first = client.get(url)

    # Expect no query: the content version and the whole page come from the cache.
    with django_assert_num_queries(0):
        second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second["Cache-Control"] == first["Cache-Control"]


def test_publishing_a_story_shows_on_the_next_request(
    client, django_capture_on_commit_callbacks, editor, story, world
):
    draft = make_article(section=world, headline="Breaking: a deal", status=Article.Status.DRAFT)
    assert "Breaking: a deal" not in client.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        draft.publish(by=editor)

    assert "Breaking: a deal" in client.get("/").content.decode()
    assert "Breaking: a deal" in client.get("/world/").content.decode()
    assert "Breaking: a deal" in client.get("/feed/").content.decode()


def process_cache(settings, name):
    """Switch to a local-memory cache of its own, as another gunicorn worker would have."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name},
        "versions": settings.CACHES["versions"],  # shared by every process
    }


def test_a_story_published_in_another_process_shows_at_once_in_this_one(
    client, settings, django_capture_on_commit_callbacks, editor, story, world
):
    draft = make_article(section=world, headline="Breaking: a deal", status=Article.Status.DRAFT)
    process_cache(settings, "worker-1")
    assert "Breaking: a deal" not in client.get("/").content.decode()  # stored in worker 1

    process_cache(settings, "worker-2")  # the editor's save is handled by another worker
    with django_capture_on_commit_callbacks(execute=True):
        draft.publish(by=editor)

    process_cache(settings, "worker-1")
    assert "Breaking: a deal" in client.get("/").content.decode()


def test_editing_a_story_shows_on_the_next_request(
    client, django_capture_on_commit_callbacks, story
):
    assert "Talks resume in Cairo" in client.get("/world/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        story.headline = "Talks collapse in Cairo"
        story.save()

    html = client.get("/world/").content.decode()
    assert "Talks collapse in Cairo" in html
    assert "Talks resume in Cairo" not in html


def test_tagging_a_story_shows_on_the_topic_page(
    client, django_capture_on_commit_callbacks, story, world
):
    other = make_article(section=world, headline="Pipeline deal signed")
    assert "Pipeline deal signed" not in client.get("/tag/energy/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        other.tags.add("Energy")

    assert "Pipeline deal signed" in client.get("/tag/energy/").content.decode()


def test_publishing_through_the_admin_shows_on_the_next_request(
    client, django_capture_on_commit_callbacks, editor, story, world
):
    assert "Published from the desk" not in client.get("/").content.decode()
    desk = Client()
    desk.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            reverse("admin:articles_article_add"),
            article_post(
                section=world,
                authors=[make_author()],
                status="published",
                headline="Published from the desk",
                slug="published-from-the-desk",
            ),
        )
    assert response.status_code == 302

    assert "Published from the desk" in client.get("/").content.decode()


def test_unpublishing_through_an_admin_action_hides_the_story_at_once(
    client, django_capture_on_commit_callbacks, editor, story
):
    assert "Talks resume in Cairo" in client.get("/").content.decode()
    desk = Client()
    desk.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        desk.post(
            reverse("admin:articles_article_changelist"),
            {"action": "unpublish", "_selected_action": [story.pk]},
        )

    assert "Talks resume in Cairo" not in client.get("/").content.decode()


def test_staff_are_never_served_a_cached_page(editor_client, story):
    reader = Client()  # `editor_client` is the signed-in `client`
    reader.get("/")  # an anonymous copy is now cached

    Article.objects.filter(pk=story.pk).update(headline="Changed behind the cache")
    staff = editor_client.get("/")

    assert "Changed behind the cache" in staff.content.decode()
    assert "no-store" in staff["Cache-Control"]
    assert "Talks resume in Cairo" in reader.get("/").content.decode()  # the anonymous copy


def test_a_staff_request_does_not_fill_the_cache(editor_client, django_assert_num_queries, story):
    assert editor_client.get("/world/").status_code == 200

    # section, count, stories, bylines: rendered afresh
    with django_assert_num_queries(4):
        assert Client().get("/world/").status_code == 200


def test_query_strings_are_cached_separately(client, world):
    for n in range(13):
        make_article(section=world, headline=f"World story {n:02}")

    first, second = client.get("/world/"), client.get("/world/?page=2")
    again = client.get("/world/?page=2")

    assert "Page 1 of 2" in first.content.decode()
    assert "Page 2 of 2" in second.content.decode()
    assert again.content == second.content


def test_pages_that_are_not_found_are_not_stored(client, django_assert_num_queries, world):
    assert client.get("/world/?page=9").status_code == 404

    make_article(section=world)
    assert client.get("/tag/nothing-here/").status_code == 404
    with django_assert_num_queries(2):  # the section, its count: the view ran again
        assert client.get("/world/?page=9").status_code == 404


def counting_view(response_for):
    calls = []

    @reader_page()
    def view(request):
        calls.append(request)
        return response_for()

    return view, calls


def anonymous_get(path="/somewhere/"):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return request


def test_a_response_that_sets_a_cookie_is_not_stored():
    def with_cookie():
        response = HttpResponse("hello")
        response.set_cookie("reader", "42")
        return response

    view, calls = counting_view(with_cookie)
    view(anonymous_get())
    view(anonymous_get())

    assert len(calls) == 2


@pytest.mark.parametrize("directive", [{"private": True}, {"no_cache": True}, {"no_store": True}])
def test_a_private_or_uncacheable_response_is_not_stored(directive):
    def private():
        response = HttpResponse("yours only")
        patch_cache_control(response, **directive)
        return response

    view, calls = counting_view(private)
    view(anonymous_get())
    view(anonymous_get())

    assert len(calls) == 2


def test_a_page_that_wrote_to_the_readers_session_is_not_stored():
    calls = []

    @reader_page()
    def remembering(request):
        calls.append(request)
        request.session["seen"] = True
        return HttpResponse("noted")

    for _ in range(2):
        request = anonymous_get()
        request.session = SessionStore()
        remembering(request)

    assert len(calls) == 2


def test_a_plain_public_response_is_stored_once():
    view, calls = counting_view(lambda: HttpResponse("for everyone"))

    assert view(anonymous_get()).content == b"for everyone"
    assert view(anonymous_get()).content == b"for everyone"
    assert len(calls) == 1


def test_a_ttl_of_zero_turns_the_cache_off(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    view, calls = counting_view(lambda: HttpResponse("for everyone"))

    view(anonymous_get())
    view(anonymous_get())

    assert len(calls) == 2


def test_the_article_page_is_cached_whole_like_any_other(client, django_assert_num_queries, story):
    first = client.get(story.get_absolute_url())

    with django_assert_num_queries(0):
        second = client.get(story.get_absolute_url())

    assert second.content == first.content
    assert not first.cookies and not second.cookies
