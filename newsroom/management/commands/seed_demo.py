from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.encoding import uri_to_iri

from newsroom import demo, demo_editions


class Command(BaseCommand):
    help = (
        "Create the demo newsroom (idempotent): sections, authors, photos, tags, stories "
        "and reader comments, in English or another language (--language)."
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
        parser.add_argument(
            "--language",
            default="en",
            help=f"The language the demo is written in: {', '.join(demo_editions.languages())} "
            "(default en; English for any other). The English reference story is always there.",
        )

    def handle(self, *args, articles, comments, users, language="en", **options):
        def progress(done, total):
            self.stdout.write(f"  stories: {done}/{total}")

        def comment_progress(done, total):
            self.stdout.write(f"  comments: {done}/{total}")

        language = language.lower().replace("_", "-").split("-")[0]
        if language not in demo_editions.languages():
            self.stdout.write(f"  No demo is written in {language!r} yet: the English one.")
            language = "en"
        options = {
            "articles": articles,
            "comments": comments,
            "users": users,
            "progress": progress,
            "comment_progress": comment_progress,
        }
        with transaction.atomic():
            if language == "en":
                result = demo.seed(**options)
            else:
                result = demo_editions.seed(language, **options)
        demo.vacuum_after_bulk_load(result["new_bulk"] + result["new_comments"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo newsroom ready: {uri_to_iri(result['reference'].get_absolute_url())}"
            )
        )
        for username, password in result["logins"]:
            self.stdout.write(f"  login: {username} / {password}")
        if language != settings.NEWSROOM_LANGUAGE.split("-")[0]:
            self.stdout.write(
                f"  The site itself is in NEWSROOM_LANGUAGE={settings.NEWSROOM_LANGUAGE}: run it "
                f"with NEWSROOM_LANGUAGE={language} (and `manage.py rebuild_search`) to read this "
                "demo as its readers would."
            )
