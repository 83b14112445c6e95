from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from comments.notifications import send_pending_digest


class Command(BaseCommand):
    help = (
        "Mail the moderators (COMMENTS_NOTIFY_EMAILS) one digest of the pending comments "
        "that arrived since the last digest. Run it from cron, e.g. every 15 minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url", default="", help="The site's address, for the link to the queue."
        )

    def handle(self, *args, base_url, **options):
        sent = send_pending_digest(base_url)
        self.stdout.write(
            ngettext("Digest listed %(count)d comment.", "Digest listed %(count)d comments.", sent)
            % {"count": sent}
        )
