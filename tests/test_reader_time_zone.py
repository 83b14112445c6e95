"""Reader pages show times in the site's time zone (TIME_ZONE), as Django's templates did: a
story's dateline, its corrections, its comments and the corrections page, not only its cards;
the machine-readable datetime stays the stored moment."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone, translation

from articles.models import Correction
from comments.models import Comment
from tests.factories import make_article, make_section
from tests.factories_comments import make_comment

pytestmark = pytest.mark.django_db

# 22:30 on 30 November in UTC is 00:30 on 1 December in Jerusalem (UTC+2).
MOMENT = datetime(2026, 11, 30, 22, 30, tzinfo=UTC)


@pytest.fixture
def in_jerusalem(settings):
    settings.TIME_ZONE = "Asia/Jerusalem"


def test_a_story_page_shows_its_times_in_the_sites_zone(client, in_jerusalem):
    story = make_article(section=make_section(slug="world"), published_at=MOMENT)
    Correction.objects.create(article=story, text="A name was misspelt.", published_at=MOMENT)
    comment = make_comment(story, body="Well reported.")
    Comment.objects.filter(pk=comment.pk).update(created_at=MOMENT + timedelta(minutes=5))

    page = client.get(story.get_absolute_url()).content.decode()

    assert 'Published <time datetime="2026-11-30T22:30:00+00:00">1 December 2026, 00:30</time>' in (
        page
    )
    assert '<time datetime="2026-11-30T22:30:00+00:00">1 December 2026</time>: A name' in page
    assert '<time datetime="2026-11-30T22:35:00+00:00">1 Dec 2026, 00:35</time>' in page


def test_the_corrections_page_shows_its_times_in_the_sites_zone(client, in_jerusalem):
    story = make_article(section=make_section(slug="world"), published_at=MOMENT)
    Correction.objects.create(article=story, text="A name was misspelt.", published_at=MOMENT)

    page = client.get("/corrections/").content.decode()

    assert '<time datetime="2026-11-30T22:30:00+00:00">1 December 2026, 00:30</time>' in page


def test_a_comments_moderation_history_is_in_the_sites_zone(moderator_client, in_jerusalem):
    comment = make_comment(make_article(), status=Comment.Status.PENDING)
    comment.decisions.create(status=Comment.Status.APPROVED, at=MOMENT, waited=timedelta(0))

    page = moderator_client.get(f"/admin/comments/comment/{comment.pk}/change/").content.decode()

    assert "2026-12-01 00:30" in page


def test_a_request_is_answered_in_the_zone_and_language_a_caller_made_active(client):
    # newsroom/translations.py activates what is in force for each request, and restores it.
    story = make_article(section=make_section(slug="world"), published_at=MOMENT)

    with timezone.override("Asia/Jerusalem"), translation.override("he"):
        page = client.get(story.get_absolute_url()).content.decode()
        assert timezone.get_current_timezone_name() == "Asia/Jerusalem"
        assert translation.get_language() == "he"

    assert '<html lang="he" dir="rtl">' in page
    assert '<time datetime="2026-11-30T22:30:00+00:00">1 בדצמבר 2026, 00:30</time>' in page
    assert timezone.get_current_timezone_name() == "UTC"
    assert translation.get_language() == "en"
