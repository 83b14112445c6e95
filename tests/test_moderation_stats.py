"""The desk's moderation statistics, computed on known data."""

from datetime import UTC, datetime, timedelta

import pytest

from comments import stats
from comments.models import Decision
from tests.factories import make_article
from tests.factories_comments import make_comment

pytestmark = pytest.mark.django_db

# Noon today (UTC), so the statistics page, which reads the clock, sees the same month.
NOW = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
YESTERDAY = NOW - timedelta(days=1)


def decided(comment, status, by, *, after_minutes, reason="", first=True):
    """A decision `after_minutes` after the comment was posted, as the model records one."""
    waited = timedelta(minutes=after_minutes)
    return Decision.objects.create(
        comment=comment,
        status=status,
        reason=reason,
        by=by,
        at=comment.created_at + waited,
        first=first,
        waited=waited,
    )


@pytest.fixture
def known_month(moderator, editor):
    story, other = make_article(headline="Busy story"), make_article(headline="Quiet story")
    posted = YESTERDAY.replace(hour=9)
    a, b, c = (make_comment(story, created_at=posted) for _ in range(3))
    decided(a, "approved", moderator, after_minutes=10)
    decided(b, "approved", moderator, after_minutes=30)
    decided(c, "rejected", editor, after_minutes=50, reason="abusive")
    spam = make_comment(story, created_at=NOW.replace(hour=8), status="spam")
    decided(spam, "spam", moderator, after_minutes=2)
    decided(a, "approved", moderator, after_minutes=200, first=False)  # after a report
    old = make_comment(story, created_at=NOW - timedelta(days=40))
    decided(old, "approved", moderator, after_minutes=5)
    for _ in range(2):
        make_comment(story, status="pending", created_at=NOW - timedelta(hours=3))
    make_comment(other, status="pending", created_at=NOW - timedelta(hours=1))


def test_per_day_counts_and_times_to_decision(known_month, settings):
    settings.TIME_ZONE = "UTC"
    summary = stats.summary(now=NOW)
    days = {day.day: day for day in summary["days"]}
    assert len(days) == 30 and max(days) == NOW.date()
    yesterday = days[YESTERDAY.date()]
    # Decisions made that day: a, b and a again (after a report), and c rejected.
    assert (yesterday.received, yesterday.approved, yesterday.rejected, yesterday.spam) == (
        3,
        3,
        1,
        0,
    )
    assert yesterday.rejected_by_reason == {"Abusive": 1}
    # First decisions only: 10, 30 and 50 minutes. percentile_cont(0.9) = 30 + 0.8 × 20 minutes.
    assert yesterday.median == pytest.approx(30 * 60)
    assert yesterday.p90 == pytest.approx(46 * 60)
    today = days[NOW.date()]
    # Today: two pending and one spam received (the pending ones three hours ago are today too).
    assert (today.received, today.spam, today.approved) == (4, 1, 0)
    assert today.median == pytest.approx(2 * 60)
    assert summary["totals"] == {"received": 7, "approved": 3, "rejected": 1, "spam": 1}


def test_per_moderator_and_the_stories_waiting_most(known_month):
    summary = stats.summary(now=NOW)
    rows = {row["by__username"]: row for row in summary["moderators"]}
    assert (
        rows["moderator"]["approved"],
        rows["moderator"]["spam"],
        rows["moderator"]["total"],
    ) == (
        3,
        1,
        4,
    )
    assert rows["editor"]["rejected"] == 1
    assert rows["editor"]["median"] == pytest.approx(50 * 60)
    assert [(row["article__headline"], row["waiting"]) for row in summary["waiting"]] == [
        ("Busy story", 2),
        ("Quiet story", 1),
    ]


def test_the_percentile_fallback_matches_postgres():
    assert stats._p90([600, 1800, 3000]) == pytest.approx(2760)
    assert stats._p90([42]) == 42


def test_the_statistics_page_draws_charts_on_the_server_within_a_query_budget(
    known_month, moderator_client, django_assert_max_num_queries
):
    # Expect 10: session, user, permissions (2), received per day, decisions per day and
    # reason, times per day, per moderator, times per moderator, waiting stories.
    with django_assert_max_num_queries(10):
        response = moderator_client.get("/admin/comments/comment/stats/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg class="stats-chart"') == 2 and "<rect" in html and "<polyline" in html
    assert "Comments per day" in html and "Time from posting to decision" in html
    assert "Busy story</a>: 2 waiting" in html
    assert "Rejected: Abusive" in html
