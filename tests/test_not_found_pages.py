"""A reader page's "not found" is kept briefly and dropped by a publish: a story published at an
address a reader already tried shows at once (issue 19, finding 12)."""

import pytest
from django.utils import timezone

from articles.caching import MISSING
from articles.caching.pages import MISSING_SECONDS
from articles.models import Article
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

ADDRESS = "/world/talks-resume/"


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60


@pytest.fixture
def draft():
    return make_article(
        section=make_section("World", slug="world"),
        slug="talks-resume",
        headline="Talks resume",
        status=Article.Status.DRAFT,
    )


def test_a_story_published_after_a_reader_asked_for_its_address_shows_at_once(
    client, editor, draft, django_capture_on_commit_callbacks
):
    missing = client.get(ADDRESS)
    assert missing.status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        draft.publish(by=editor)

    found = client.get(ADDRESS)
    assert found.status_code == 200
    assert "Talks resume" in found.text


@pytest.mark.parametrize(
    "url",
    [
        ADDRESS,
        "/no-such-section/",
        "/author/nobody/",
        "/tag/nothing/",
        "/world/?page=9",
        "/comments/999/",
    ],
)
def test_not_found_is_public_for_a_short_while_and_carries_the_key_a_publish_purges(
    client, draft, url
):
    response = client.get(url)

    assert response.status_code == 404
    assert response["Cache-Control"] == (
        f"public, max-age={MISSING_SECONDS}, s-maxage={MISSING_SECONDS}"
    )
    assert 10 <= MISSING_SECONDS <= 30
    assert MISSING in response["xkey"].split()
    assert not response.cookies


def test_publishing_purges_the_not_found_key_and_an_ordinary_edit_does_not(
    purges,
    editor,
    draft,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        draft.publish(by=editor)
    draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        draft.subheadline = "A new subheadline"
        draft.save()
    with django_capture_on_commit_callbacks(execute=True):
        draft.slug = "talks-resume-in-cairo"
        draft.save()

    published, edited, moved = purges
    assert MISSING in published
    assert MISSING not in edited
    assert MISSING in moved  # found now at a new address


def test_a_scheduled_story_is_still_not_found_and_staff_get_private_answers(
    client, editor_client, draft
):
    draft.status = Article.Status.PUBLISHED
    draft.published_at = timezone.now() + timezone.timedelta(hours=1)
    draft.save()

    assert client.get(ADDRESS).status_code == 404
    staff = editor_client.get(ADDRESS)
    assert staff.status_code == 404
    assert "public" not in staff.get("Cache-Control", "")
