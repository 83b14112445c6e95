"""The agency credit report: which agencies' photos led published stories in a month, for
billing and rights (one row per story and photo it shows: its lead photo and the photos in
its blocks, inline or in a gallery)."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

from articles.models import Article


@dataclass
class CreditRow:
    agency: str
    story: str
    story_id: int
    photo: str
    photo_id: int
    published_at: datetime
    photographer: str
    use: str = "lead"  # or "in the story": a photo or gallery block


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month as aware datetimes in the site's time zone: [first day, first of next)."""
    start = month.replace(day=1)
    end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), zone),
        timezone.make_aware(datetime.combine(end, time.min), zone),
    )


def parse_month(value: str) -> date:
    """ "2026-11" → 1 November 2026; ValueError for anything else."""
    year, _, month = value.partition("-")
    if not (year.isdigit() and month.isdigit() and len(year) == 4):
        raise ValueError(value)
    return date(int(year), int(month), 1)


def credit_rows(month: date) -> list[CreditRow]:
    """Photos shown by published stories of `month` (lead and in the blocks), by agency, then
    publication time: two queries whatever the number of stories."""
    start, end = month_bounds(month)
    published = {
        "status": Article.Status.PUBLISHED,
        "published_at__gte": start,
        "published_at__lt": end,
    }
    leads = Article.objects.filter(**published, lead_photo__isnull=False).select_related(
        "lead_photo"
    )
    rows = [_row(story, story.lead_photo, "lead") for story in leads]
    in_blocks = Article.block_photos.through.objects.filter(
        **{f"article__{name}": value for name, value in published.items()}
    ).select_related("article", "photo")
    rows += [_row(link.article, link.photo, "in the story") for link in in_blocks]
    return sorted(rows, key=lambda row: (row.agency, row.published_at, row.story_id, row.use))


def _row(story: Article, photo, use: str) -> CreditRow:
    return CreditRow(
        agency=photo.agency or "(no agency)",
        story=story.headline,
        story_id=story.pk,
        photo=str(photo),
        photo_id=photo.pk,
        published_at=story.published_at,
        photographer=photo.photographer,
        use=use,
    )


def totals(rows: list[CreditRow]) -> list[dict]:
    """Per agency: how many photos and how many stories they led."""
    by_agency: dict[str, dict] = {}
    for row in rows:
        entry = by_agency.setdefault(row.agency, {"agency": row.agency, "photos": set(), "uses": 0})
        entry["photos"].add(row.photo_id)
        entry["uses"] += 1
    return [
        {"agency": e["agency"], "photos": len(e["photos"]), "stories": e["uses"]}
        for e in by_agency.values()
    ]


# A formula start (=, +, -, @, tab, CR), perhaps behind spaces or a quote mark, at the start of a
# cell or after a character a spreadsheet may split a file on: the comma, or in many locales the
# semicolon, tab or bar, and a line break.
_FORMULA_AT_START = re.compile(r'[ "]*[=+\-@\t\r]')
_FORMULA_AFTER_SEPARATOR = re.compile(r'(?<=[,;|\t\r\n])([ "]*)(?=[=+\-@\t\r])')


def _cell(value) -> str:
    """Text no spreadsheet runs as a formula (CSV injection), however it splits the file.

    A cell that starts a formula anywhere is marked as text with a leading quote mark. A
    spreadsheet that splits the file on a semicolon (or tab, or bar) makes the text after one a
    cell of its own, which that leading mark does not reach, so each formula start after a
    separator gets a quote mark of its own too."""
    text = str(value)
    guarded = _FORMULA_AFTER_SEPARATOR.sub(r"\1'", text)
    if guarded != text or _FORMULA_AT_START.match(text):
        return f"'{guarded}"
    return text


def as_csv(rows: list[CreditRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["agency", "story", "story id", "photo", "photo id", "published", "photographer", "use"]
    )
    for row in rows:
        values = [
            row.agency,
            row.story,
            row.story_id,
            row.photo,
            row.photo_id,
            timezone.localtime(row.published_at).isoformat(),
            row.photographer,
            row.use,
        ]
        writer.writerow([_cell(value) for value in values])
    return out.getvalue()
