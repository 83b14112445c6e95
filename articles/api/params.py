"""Query parameters: each endpoint names the ones it reads, and anything else, or a value that
does not parse, is a 400 naming the parameter, never silently ignored (a typo in a filter must
not look like an empty result or the whole archive)."""

from datetime import UTC, datetime, time

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework.exceptions import ValidationError

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# Deeper than this, an OFFSET scan grows with the archive: walk back with published_before.
MAX_OFFSET = 10_000
PAGING = frozenset({"limit", "offset"})


def refuse(name: str, message: str):
    raise ValidationError({name: [message]})


def check_known(query, known: frozenset[str]) -> None:
    for name in query:
        if name not in known:
            refuse(name, f"Unknown parameter. This endpoint takes: {', '.join(sorted(known))}.")
        if len(query.getlist(name)) > 1:
            refuse(name, "Give this parameter once.")


def integer(query, name: str, default: int, low: int, high: int) -> int:
    value = query.get(name)
    if value is None:
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        refuse(name, f"A whole number from {low} to {high}.")
    return int(value)


def paging(query) -> tuple[int, int]:
    return (
        integer(query, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        integer(query, "offset", 0, 0, MAX_OFFSET),
    )


def moment(query, name: str) -> datetime | None:
    """An ISO 8601 time (`2026-12-06T10:00:00Z`; without an offset, in UTC) or a date (its start,
    UTC)."""
    value = query.get(name)
    if value is None:
        return None
    try:
        parsed = parse_datetime(value)
        if parsed is None and (day := parse_date(value)) is not None:
            parsed = datetime.combine(day, time.min)
    except ValueError:
        parsed = None
    if parsed is None:
        refuse(name, "An ISO 8601 date or time, such as 2026-12-06 or 2026-12-06T10:00:00Z.")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, UTC)
    return parsed


def slug(query, name: str) -> str | None:
    value = query.get(name)
    if value is not None and not value.strip():
        refuse(name, "Give a slug, or leave the parameter out.")
    return value
