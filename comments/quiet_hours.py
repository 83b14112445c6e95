"""Quiet hours: an optional site-wide daily window (COMMENTS_QUIET_HOURS, in the site's time zone)
when new comments are not taken. Readers are told when commenting reopens."""

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core import checks
from django.utils import timezone

WINDOW_RE = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time

    @classmethod
    def parse(cls, value: str) -> "QuietHours | None":
        """ "22:00-06:00" → QuietHours; "" → None; anything else raises ValueError."""
        value = value.strip()
        if not value:
            return None
        match = WINDOW_RE.fullmatch(value)
        try:
            start_hour, start_minute, end_hour, end_minute = map(int, match.groups())
            start, end = time(start_hour, start_minute), time(end_hour, end_minute)
        except (AttributeError, ValueError) as error:
            raise ValueError(f"expected HH:MM-HH:MM, got {value!r}") from error
        if start == end:
            raise ValueError("the quiet hours start and end at the same time")
        return cls(start, end)

    def reopens_at(self, now: datetime) -> datetime | None:
        """When commenting reopens if `now` is within the quiet hours, else None.

        The window includes its start and excludes its end; a start after the end (22:00-06:00)
        runs across midnight.
        """
        local = timezone.localtime(now)
        moment, today = local.time().replace(tzinfo=None), local.date()
        if self.start < self.end:
            quiet = self.start <= moment < self.end
            reopen_day = today
        else:
            quiet = moment >= self.start or moment < self.end
            reopen_day = today if moment < self.end else today + timedelta(days=1)
        if not quiet:
            return None
        return datetime.combine(reopen_day, self.end, tzinfo=local.tzinfo)


def reopens_at(now: datetime | None = None) -> datetime | None:
    """When commenting reopens, if the site is in its quiet hours now; None when comments are taken."""
    hours = QuietHours.parse(settings.COMMENTS_QUIET_HOURS)
    return hours.reopens_at(now or timezone.now()) if hours else None


def check_quiet_hours(app_configs, **kwargs):
    try:
        QuietHours.parse(settings.COMMENTS_QUIET_HOURS)
    except ValueError as error:
        return [
            checks.Error(
                f"COMMENTS_QUIET_HOURS is not valid: {error}.",
                hint='Use two 24-hour times in the site time zone, such as "22:00-06:00", or leave it empty.',
                id="comments.E001",
            )
        ]
    return []
