"""A photo's files follow the photo: renditions made when it is saved, files removed when it is
deleted or its image replaced. Connected by sender name: this layer sits below the models."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

from . import renditions

PHOTO = "articles.Photo"


def make_renditions(sender, instance, raw=False, **kwargs):
    if not raw:
        renditions.refresh(instance)


def post_delete_file_cleanup(sender, instance, **kwargs):
    """A deleted photo leaves no file behind (its licence may have ended): renditions and the
    original."""
    renditions.delete_files(instance.renditions)
    # Originals are public under MEDIA_URL: a deleted photo must not stay reachable.
    if instance.image:
        name = instance.image.name
        transaction.on_commit(lambda: instance.image.storage.delete(name))


def delete_replaced_original(sender, instance, raw=False, **kwargs):
    """A replaced image's original goes once the new one is committed (its renditions go when
    the new ones are made): the old file would otherwise stay public under its old address."""
    if raw or instance.pk is None:
        return
    previous = sender.objects.filter(pk=instance.pk).values_list("image", flat=True).first()
    if previous and previous != instance.image.name:
        storage = instance.image.storage
        transaction.on_commit(lambda: storage.delete(previous))


def register_signal_handlers() -> None:
    pre_save.connect(delete_replaced_original, sender=PHOTO)
    post_save.connect(make_renditions, sender=PHOTO)
    post_delete.connect(post_delete_file_cleanup, sender=PHOTO)
