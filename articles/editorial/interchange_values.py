"""What loading a story's fields has in common: the one-line error naming the field, and the
checks of a time and a text of the interchange shape."""

from django.utils import timezone
from django.utils.dateparse import parse_datetime


class StoryError(Exception):
    def __init__(self, field_name: str, message: str):
        super().__init__(f"{field_name}: {message}")
        self.field, self.message = field_name, message


def read_time(data: dict, name: str, field_name: str | None = None):
    """An ISO 8601 time of the shape, or None; aware in the site's zone when given without one."""
    value = data.get(name)
    if value is None or value == "":
        return None
    try:
        parsed = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise StoryError(field_name or name, "must be a date and time (ISO 8601).")
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def read_text(data: dict, name: str, limit: int) -> str:
    value = data.get(name) or ""
    if not isinstance(value, str):
        raise StoryError(name, "must be text.")
    if len(value) > limit:
        raise StoryError(name, f"is longer than {limit} characters.")
    return value
