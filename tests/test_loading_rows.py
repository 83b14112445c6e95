"""Model instances made straight from rows (articles/models/loading.py) are the instances
Django's own Model.from_db makes: the same values, state and deferred fields; post_init still
reaches whoever listens to it (an image field filling in its width and height), and where
someone listens to pre_init, Django's own path runs."""

import pytest
from django.db.models import Model, signals

from articles.models import Article, Byline, Photo
from comments.models import Comment
from tests.factories import make_article, make_author, make_photo
from tests.factories_comments import make_comment

pytestmark = pytest.mark.django_db


def as_django_makes_it(instance):
    """The same row through Django's own Model.from_db (Model.__init__, its signals)."""
    model = type(instance)
    loaded = model._default_manager.get(pk=instance.pk)
    names = [field.attname for field in model._meta.concrete_fields]
    values = [getattr(loaded, name) for name in names]
    return Model.from_db.__func__(model, loaded._state.db, names, values)


def fields(instance) -> dict:
    return {
        field.attname: instance.__dict__[field.attname]
        for field in type(instance)._meta.concrete_fields
    }


def test_loaded_rows_are_the_instances_django_makes():
    story = make_article(headline="Loaded", kicker="Kicker")
    Byline.objects.create(article=story, author=make_author("Dana Levi"), position=0)
    comment = make_comment(story, body="A word")
    photo = make_photo()

    for loaded in (
        Article.objects.get(pk=story.pk),
        Photo.objects.get(pk=photo.pk),
        Byline.objects.select_related("author").filter(article=story).first(),
        Comment.objects.get(pk=comment.pk),
    ):
        django_made = as_django_makes_it(loaded)
        assert type(loaded) is type(django_made)
        assert fields(loaded) == fields(django_made)
        # Nothing else, but what the models' own from_db note.
        assert set(loaded.__dict__) - set(fields(loaded)) <= {
            "_state",
            "_saved_status",
            "_loaded_body",
            "_loaded_status",
        }
        assert (loaded._state.adding, loaded._state.db) == (False, "default")
    # What the models' own from_db remember of the row is there too.
    assert Article.objects.get(pk=story.pk)._saved_status == story.status
    assert Comment.objects.get(pk=comment.pk)._loaded_status == comment.status


def test_a_deferred_field_is_read_when_asked_for():
    story = make_article(headline="Deferred", body="<p>The words</p>")
    loaded = Article.objects.only("headline").get(pk=story.pk)
    assert "body" not in loaded.__dict__
    assert loaded.get_deferred_fields() >= {"body", "kicker"}
    assert loaded.body == "<p>The words</p>"


def test_post_init_reaches_its_listeners_with_the_rows_values():
    story = make_article(headline="Heard")
    heard = []

    def listen(sender, instance, **kwargs):
        heard.append(instance.headline)

    signals.post_init.connect(listen, sender=Article)
    try:
        Article.objects.get(pk=story.pk)
    finally:
        signals.post_init.disconnect(listen, sender=Article)
    assert heard == ["Heard"]


def test_a_photo_without_its_dimensions_gets_them_from_its_image_as_django_would():
    # The image field listens to post_init: with its width and height fields empty, it reads
    # them from the file.
    photo = make_photo()
    width, height = photo.width, photo.height
    assert width and height
    Photo.objects.filter(pk=photo.pk).update(width=None, height=None)
    loaded = Photo.objects.get(pk=photo.pk)
    assert (loaded.width, loaded.height) == (width, height)


def test_with_someone_listening_to_pre_init_django_makes_the_instance():
    story = make_article(headline="Before")
    heard = []

    def listen(sender, args, kwargs, **extra):
        heard.append(sender)

    signals.pre_init.connect(listen, sender=Article)
    try:
        loaded = Article.objects.get(pk=story.pk)
    finally:
        signals.pre_init.disconnect(listen, sender=Article)
    assert heard == [Article]
    assert loaded.headline == "Before"
