from django.core.management.base import BaseCommand
from django.db import transaction

from newsroom import demo


class Command(BaseCommand):
    help = (
        "Create the demo newsroom (idempotent): sections, authors, photos, tags, stories "
        "and reader comments."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles", type=int, default=0, help="Also ensure N generated stories."
        )
        parser.add_argument(
            "--comments",
            type=int,
            default=12,
            help="Ensure N demo comments, approved and pending, some replies (default 12).",
        )
        parser.add_argument("--users", action="store_true", help="Create the demo staff accounts.")

    def handle(self, *args, articles, comments, users, **options):
        def progress(done, total):
            self.stdout.write(f"  stories: {done}/{total}")

        def comment_progress(done, total):
            self.stdout.write(f"  comments: {done}/{total}")

        with transaction.atomic():
            result = demo.seed(
                articles=articles,
                comments=comments,
                users=users,
                progress=progress,
                comment_progress=comment_progress,
            )
        demo.vacuum_after_bulk_load(result["new_bulk"] + result["new_comments"])
        self.stdout.write(
            self.style.SUCCESS(f"Demo newsroom ready: {result['reference'].get_absolute_url()}")
        )
        for username, password in result["logins"]:
            self.stdout.write(f"  login: {username} / {password}")
