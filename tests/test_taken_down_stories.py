"""A story taken down, by any path, never comes back from the last good copy of a page that
showed it, which is otherwise served while the database is away (issue 19, finding 10).

The database is made unreachable for this process as in an outage: its connection is closed and
pointed at a port nothing listens on, so every query fails with a real connection error
(tests/test_database_outage.py does the same against gunicorn by stopping a Postgres cluster)."""

from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.editorial import revisions
from articles.models import Article
from tests.admin_forms import form_data
from tests.factories import make_article, make_section
from tests.servers import free_port

# Committed data: the database is closed under the test's feet.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(scope="module", autouse=True)
def _migrations_data_kept(django_db_setup, django_db_blocker):
    """Each test ends by emptying the tables: put back what the migrations made (the groups) for
    the tests after these and for the next run that reuses the database (as test_varnish.py)."""
    yield
    with django_db_blocker.unblock():
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60


@contextmanager
def database_away():
    connection.close()
    settings_dict = connection.settings_dict
    kept = settings_dict["HOST"], settings_dict["PORT"]
    settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", str(free_port())
    try:
        yield
    finally:
        connection.close()
        settings_dict["HOST"], settings_dict["PORT"] = kept


def reader() -> Client:
    return Client(raise_request_exception=False)


def unpublish(story, editor):
    story.unpublish(by=editor)


def save_as_draft(story, editor):
    story.status = Article.Status.REVIEW
    story.save()


def reschedule(story, editor):
    story.published_at = timezone.now() + timezone.timedelta(days=1)
    story.save()


def delete(story, editor):
    story.delete()


def restore_a_draft_version(story, editor):
    draft = revisions.versions_of(story.pk)[-1]  # the oldest: before it was published
    client = Client()
    client.force_login(editor)
    url = reverse("admin:articles_article_revision", args=[story.pk, draft.pk])
    assert client.post(url, form_data(client.get(url))).status_code == 302
    story.refresh_from_db()
    assert not story.is_published


@pytest.fixture
def live_story(editor):
    story = make_article(
        section=make_section("World", slug="world"),
        headline="Minister resigns over leaked memo",
        status=Article.Status.DRAFT,
    )
    story._save_as_version(editor, "Draft.")
    story.publish(by=editor)
    return story


@pytest.mark.parametrize(
    "take_down", [unpublish, save_as_draft, reschedule, delete, restore_a_draft_version]
)
def test_no_page_that_showed_a_story_taken_down_is_served_from_its_copy(
    editor, live_story, take_down
):
    pages = [live_story.get_absolute_url(), "/", "/world/", "/feed/", "/sitemap-news.xml"]
    for url in pages:
        assert "Minister resigns" in reader().get(url).text, url

    take_down(live_story, editor)

    with database_away():
        for url in pages:
            response = reader().get(url)
            assert response.status_code == 503, url
            assert "Minister resigns" not in response.text


def test_a_story_only_edited_still_has_its_pages_served_while_the_database_is_away(
    editor, live_story
):
    url = live_story.get_absolute_url()
    assert reader().get(url).status_code == 200
    live_story.subheadline = "A correction to the subheadline"
    live_story.save()

    with database_away():
        response = reader().get(url)

    assert response.status_code == 200
    assert "Minister resigns" in response.text
    assert "max-age=0" in response["Cache-Control"]


def test_a_page_rendered_after_the_take_down_is_still_served_while_the_database_is_away(
    editor, live_story
):
    other = make_article(section=live_story.section, headline="Markets steady")
    assert "Minister resigns" in reader().get("/world/").text
    live_story.unpublish(by=editor)
    assert "Minister resigns" not in reader().get("/world/").text
    assert "Minister resigns" not in reader().get(other.get_absolute_url()).text

    with database_away():
        for url in ("/world/", other.get_absolute_url()):
            response = reader().get(url)
            assert response.status_code == 200, url
            assert "Markets steady" in response.text
            assert "Minister resigns" not in response.text
