import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from articles import caching
from articles.models import search_document


class Command(BaseCommand):
    help = (
        "Rebuild the stored search document (and its index) for NEWSROOM_LANGUAGE and "
        "NEWSROOM_SEARCH_CONFIG, when it was built for another language (or always, with "
        "--force). Rewrites the stories table: readers cannot search, and editors cannot save "
        "stories, until it is done (seconds for 100,000 stories). Run it on the primary."
    )
    # The database check (articles.W001) says the document needs this very command.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Rebuild even if up to date.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, force=False, database=DEFAULT_DB_ALIAS, **options):
        if connections[database].vendor != "postgresql":
            self.stdout.write("No search document to build: this database is not Postgres.")
            return
        wanted, stored = search_document.built_as(), search_document.stored_as(database)
        if stored == wanted and not force:
            self.stdout.write(f"The search document is already built as '{wanted}'.")
            return
        started = time.monotonic()
        try:
            built = search_document.rebuild(database)
        except DatabaseError as error:  # an unknown configuration, a lock timeout
            raise CommandError(f"Could not rebuild the search document: {error}") from error
        caching.purge_everything()  # search result pages kept from before start afresh
        self.stdout.write(
            self.style.SUCCESS(
                f"Search document rebuilt as '{built}' (was '{stored}') "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
