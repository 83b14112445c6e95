"""Django's makemessages with the project's defaults, so `make catalogs`, a translator and the
suite's completeness check (tests/test_translations.py) all extract the same strings: the apps,
templates/ and newsroom/, never the tests, deploy/ or var/; locations by file only, so a catalog
does not change when a line moves; strings no longer used are dropped, not kept as obsolete."""

from django.core.management.commands import makemessages

IGNORED = ["tests", "var", "deploy", "docs", "node_modules"]


class Command(makemessages.Command):
    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options["ignore_patterns"], *IGNORED]
        options["add_location"] = options["add_location"] or "file"
        options["no_obsolete"] = True
        return super().handle(*args, **options)
