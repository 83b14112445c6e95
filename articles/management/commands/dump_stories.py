from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles.editorial.interchange import dump_stories


class Command(BaseCommand):
    help = (
        "Write stories as interchange JSON (see CONTRACT.md). With --output FILE, photos are "
        "copied into FILE's folder (FILE-photos/) and named in the JSON, so the file loads into "
        "another database; otherwise photos and linked stories are ids in this database. "
        "--since: changed since then."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", help="Only stories changed since (ISO 8601 date and time).")
        parser.add_argument("--output", "-o", type=Path, help="Write here instead of stdout.")

    def handle(self, *args, since=None, output=None, **options):
        when = None
        if since:
            when = parse_datetime(since) or parse_datetime(f"{since}T00:00:00+00:00")
            if when is None:
                raise CommandError(f"--since: {since!r} is not an ISO 8601 date and time.")
            if timezone.is_naive(when):
                when = timezone.make_aware(when)
        text = dump_stories(since=when, output=output.resolve() if output else None)
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")
