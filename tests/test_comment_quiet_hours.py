"""Quiet hours: a site-wide daily window, in the site's time zone, when new comments are not taken."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import timezone

from comments.models import Comment
from comments.quiet_hours import QuietHours
from tests.factories import make_article
from tests.factories_comments import article_page, comments_region, post_comment

SITE = ZoneInfo("Asia/Jerusalem")


@pytest.fixture(autouse=True)
def _site_time_zone(settings):
    settings.TIME_ZONE = "Asia/Jerusalem"


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, second, tzinfo=SITE)


OVERNIGHT = QuietHours.parse("22:00-06:00")


@pytest.mark.parametrize(
    "now, reopens",
    [
        (at(10, 21, 59, 59), None),  # just before the start: open
        (at(10, 22, 0), at(11, 6, 0)),  # the start itself is quiet
        (at(10, 23, 59, 59), at(11, 6, 0)),  # before midnight: reopens tomorrow
        (at(11, 0, 0), at(11, 6, 0)),  # after midnight: reopens this morning
        (at(11, 5, 59, 59), at(11, 6, 0)),
        (at(11, 6, 0), None),  # the end itself is open again
        (at(11, 12, 0), None),
    ],
)
def test_overnight_quiet_hours_at_both_edges_and_across_midnight(now, reopens):
    assert OVERNIGHT.reopens_at(now) == reopens


def test_the_window_is_read_in_the_site_time_zone_whatever_the_clock_zone():
    utc_evening = datetime(2026, 3, 10, 20, 30, tzinfo=ZoneInfo("UTC"))  # 22:30 in Jerusalem
    assert OVERNIGHT.reopens_at(utc_evening) == at(11, 6, 0)


def test_daytime_quiet_hours_within_one_day():
    lunch = QuietHours.parse("12:00-13:30")
    assert lunch.reopens_at(at(10, 11, 59)) is None
    assert lunch.reopens_at(at(10, 12, 0)) == at(10, 13, 30)
    assert lunch.reopens_at(at(10, 13, 30)) is None


@pytest.mark.parametrize("value", ["22:00", "22-06", "25:00-06:00", "06:00-06:00", "late-early"])
def test_bad_quiet_hours_are_refused_with_a_system_check(settings, value):
    with pytest.raises(ValueError):
        QuietHours.parse(value)
    settings.COMMENTS_QUIET_HOURS = value
    with pytest.raises(SystemCheckError, match="COMMENTS_QUIET_HOURS"):
        call_command("check")


def test_no_quiet_hours_by_default(settings):
    assert settings.COMMENTS_QUIET_HOURS == ""
    assert QuietHours.parse("") is None


def window_around_now(settings, before: int, after: int) -> None:
    now = timezone.localtime()
    start, end = now + timedelta(minutes=before), now + timedelta(minutes=after)
    settings.COMMENTS_QUIET_HOURS = f"{start:%H:%M}-{end:%H:%M}"


@pytest.mark.django_db
def test_during_quiet_hours_readers_see_when_commenting_reopens_and_posts_are_refused(
    client, settings
):
    window_around_now(settings, before=-60, after=60)
    article = make_article()
    region = comments_region(article_page(client, article))
    assert "New comments are not taken at this hour. Commenting reopens at" in region
    assert 'name="body"' not in region
    response = post_comment(client, article)
    assert response.status_code == 403
    assert "Your comment was not sent." in response.content.decode()
    assert "Commenting reopens at" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_outside_quiet_hours_the_form_is_there_and_posts_are_taken(client, settings):
    window_around_now(settings, before=60, after=120)
    article = make_article()
    region = comments_region(article_page(client, article))
    assert 'name="body"' in region and "reopens" not in region
    assert post_comment(client, article).status_code == 303
    assert Comment.objects.count() == 1
