"""Moderation over time, for the desk: per day, per moderator, and the stories waiting longest.

A fixed number of queries however many comments there are. Time to decision is measured on each
comment's first decision (`Decision.first`), from posting; Postgres computes the median and 90th
percentile with percentile_cont, SQLite (the quickstart) in Python over the 30 days' decisions.
"""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, Func, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import Comment, Decision

DAYS = 30
WAITING_STORIES = 10
# Chart geometry, in SVG user units (the SVG scales to its container): a plot area with room
# for the scale on the left and dates below.
CHART_WIDTH, CHART_HEIGHT, BAR_GAP = 664, 200, 2
PLOT_LEFT, PLOT_TOP, PLOT_WIDTH, PLOT_HEIGHT = 56, 8, 576, 168


class Percentile(Aggregate):
    """Postgres's continuous percentile of an expression (0.5 is the median)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def _seconds(expression):
    return Func(
        expression, template="EXTRACT(EPOCH FROM %(expressions)s)", output_field=FloatField()
    )


@dataclass
class Day:
    day: date
    received: int = 0
    approved: int = 0
    rejected: int = 0
    spam: int = 0
    rejected_by_reason: dict = field(default_factory=dict)
    median: float | None = None
    p90: float | None = None

    @property
    def decided(self) -> int:
        return self.approved + self.rejected + self.spam


def _percentiles(decisions, group: str) -> dict:
    """{group value: (median seconds, p90 seconds)} over first decisions."""
    first = decisions.filter(first=True)
    if connection.vendor == "postgresql":
        rows = first.values(group).annotate(
            median=Percentile(_seconds(F("waited")), 0.5),
            p90=Percentile(_seconds(F("waited")), 0.9),
        )
        return {row[group]: (row["median"], row["p90"]) for row in rows}
    waits: dict = {}
    for key, waited in first.values_list(group, "waited"):
        waits.setdefault(key, []).append(waited.total_seconds())
    return {key: (statistics.median(values), _p90(values)) for key, values in waits.items()}


def _p90(values: list[float]) -> float:
    """percentile_cont(0.9): linear interpolation between the closest ranks."""
    ordered = sorted(values)
    position = 0.9 * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(now: datetime | None = None) -> dict:
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    today = timezone.localdate(now)
    first_day = today - timedelta(days=DAYS - 1)
    since = datetime.combine(first_day, datetime.min.time(), tzinfo=tz)
    days = {first_day + timedelta(days=n): Day(first_day + timedelta(days=n)) for n in range(DAYS)}

    received = (
        Comment.objects.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .order_by()
        .values("day")
        .annotate(count=Count("pk"))
    )
    for row in received:
        if row["day"] in days:
            days[row["day"]].received = row["count"]

    decisions = (
        Decision.objects.filter(at__gte=since).annotate(day=TruncDate("at", tzinfo=tz)).order_by()
    )
    for row in decisions.values("day", "status", "reason").annotate(count=Count("pk")):
        day = days.get(row["day"])
        if day is None or row["status"] not in {"approved", "rejected", "spam"}:
            continue
        setattr(day, row["status"], getattr(day, row["status"]) + row["count"])
        if row["status"] == Comment.Status.REJECTED:
            label = Decision.Reason(row["reason"]).label if row["reason"] else "No reason"
            day.rejected_by_reason[label] = day.rejected_by_reason.get(label, 0) + row["count"]
    for key, (median, p90) in _percentiles(decisions, "day").items():
        if key in days:
            days[key].median, days[key].p90 = median, p90

    moderators = list(
        decisions.values("by__username")
        .annotate(
            approved=Count("pk", filter=Q(status=Comment.Status.APPROVED)),
            rejected=Count("pk", filter=Q(status=Comment.Status.REJECTED)),
            spam=Count("pk", filter=Q(status=Comment.Status.SPAM)),
            total=Count("pk"),
        )
        .order_by("-total", "by__username")
    )
    waits = _percentiles(decisions, "by__username")
    for row in moderators:
        row["median"], row["p90"] = waits.get(row["by__username"], (None, None))

    waiting = (
        Comment.objects.pending()
        .values("article_id", "article__headline")
        .annotate(waiting=Count("pk"), oldest=Min("created_at"))
        .order_by("-waiting", "oldest")[:WAITING_STORIES]
    )
    rows = list(days.values())
    rejected_reasons = sorted({label for day in rows for label in day.rejected_by_reason})
    return {
        "days": rows,
        "reasons": rejected_reasons,
        "moderators": moderators,
        "waiting": list(waiting),
        "volume_chart": volume_chart(rows),
        "wait_chart": wait_chart(rows),
        "totals": {
            name: sum(getattr(day, name) for day in rows)
            for name in ("received", "approved", "rejected", "spam")
        },
    }


def _scale(value: float, top: float) -> float:
    return round(PLOT_HEIGHT * value / top, 1) if top else 0


def _axes(days: list[Day], top: float, unit: str) -> dict:
    """Labels for both axes: the top, middle and zero of the scale; a date every week."""
    slot = PLOT_WIDTH / len(days)
    y_labels = [
        {"y": round(PLOT_TOP + PLOT_HEIGHT - _scale(value, top), 1), "text": f"{value:g}{unit}"}
        for value in (0, round(top / 2, 1), top)
    ]
    x_labels = [
        {"x": round(PLOT_LEFT + index * slot + slot / 2, 1), "text": day.day.strftime("%-d %b")}
        for index, day in enumerate(days)
        if index % 7 == (len(days) - 1) % 7
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": PLOT_LEFT,
        "right": PLOT_LEFT + PLOT_WIDTH,
        "baseline": PLOT_TOP + PLOT_HEIGHT,
        "label_y": PLOT_TOP + PLOT_HEIGHT + 16,
        "y_labels": y_labels,
        "x_labels": x_labels,
    }


def volume_chart(days: list[Day]) -> dict:
    """Bars per day: received beside decided (approved, rejected and spam stacked)."""
    slot = PLOT_WIDTH / len(days)
    bar = (slot - BAR_GAP) / 2
    top = max([max(day.received, day.decided) for day in days] + [1])
    baseline = PLOT_TOP + PLOT_HEIGHT
    bars = []
    for index, day in enumerate(days):
        x = round(PLOT_LEFT + index * slot, 1)
        stack, y = [], baseline
        for name in ("approved", "rejected", "spam"):
            height = _scale(getattr(day, name), top)
            y = round(y - height, 1)
            stack.append({"name": name, "y": y, "height": height, "count": getattr(day, name)})
        received = _scale(day.received, top)
        bars.append(
            {
                "day": day,
                "x": x,
                "decided_x": round(x + bar, 1),
                "width": round(bar, 1),
                "received_y": round(baseline - received, 1),
                "received_height": received,
                "stack": stack,
            }
        )
    return {**_axes(days, top, ""), "top": top, "bars": bars}


def wait_chart(days: list[Day]) -> dict:
    """Points per day, joined: median and 90th-percentile minutes from posting to decision."""
    slot = PLOT_WIDTH / len(days)
    top = max([(day.p90 or 0) / 60 for day in days] + [1])
    series = []
    for name in ("median", "p90"):
        points = [
            {
                "x": round(PLOT_LEFT + index * slot + slot / 2, 1),
                "y": round(PLOT_TOP + PLOT_HEIGHT - _scale(getattr(day, name) / 60, top), 1),
                "day": day,
            }
            for index, day in enumerate(days)
            if getattr(day, name) is not None
        ]
        line = " ".join(f"{point['x']},{point['y']}" for point in points)
        series.append({"name": name, "points": points, "line": line})
    return {**_axes(days, round(top, 1), " min"), "top_minutes": round(top, 1), "series": series}
