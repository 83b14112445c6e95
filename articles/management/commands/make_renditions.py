from django.core.management.base import BaseCommand

from articles.models import Photo
from articles.photos import renditions


class Command(BaseCommand):
    help = (
        "Make the responsive renditions and focal-point crops of every photo that lacks them "
        "(for example after an upgrade or a bulk import), so no reader's page view has to. "
        "--force remakes them all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Remake existing renditions too.")

    def handle(self, *args, force=False, **options):
        made = 0
        photos = Photo.objects.order_by("pk")
        total = photos.count()
        for photo in photos.iterator():
            if force:
                photo.renditions = {**photo.renditions, "source": None}
            if renditions.refresh(photo):
                made += 1
        self.stdout.write(f"Renditions made for {made} of {total} photos.")
