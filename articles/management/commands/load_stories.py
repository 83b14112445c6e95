from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from articles.editorial.interchange_load import load_stories


class Command(BaseCommand):
    help = (
        "Create or update stories from an interchange JSON file (see CONTRACT.md), matched by "
        "external_id, with the rights of --by: each story whole or not at all. A bad story is "
        "reported in one line naming it and the field; the command then exits non-zero."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--by", required=True, help="The username whose rights apply.")

    def handle(self, *args, file, by, **options):
        user = get_user_model().objects.filter(username=by, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {by!r}.")
        result = load_stories(file, user=user)
        for line in result.errors:
            self.stderr.write(line)
        self.stdout.write(
            f"Loaded {len(result.created) + len(result.updated)} stories "
            f"({len(result.created)} created, {len(result.updated)} updated); "
            f"{len(result.errors)} refused."
        )
        if result.errors:
            raise CommandError(f"{len(result.errors)} stories were not loaded.", returncode=1)
