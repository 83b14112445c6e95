from django.core.management.base import BaseCommand, CommandError

from articles.models import ApiKey


class Command(BaseCommand):
    help = "Make a content API key named NAME and print it (it is shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Who uses the key, such as “iOS app”.")

    def handle(self, *args, name, **options):
        name = name.strip()
        if not name:
            raise CommandError("Give the key a name.")
        if ApiKey.objects.filter(name=name).exists():
            raise CommandError(f"A key named “{name}” already exists: choose another name.")
        _, key = ApiKey.objects.create_key(name)
        self.stdout.write(key)
