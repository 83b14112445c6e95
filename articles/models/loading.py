"""Model instances made from database rows without running Model.__init__.

A reader page makes a few hundred instances (its stories, their sections, bylines, authors and
photos, its comments), and Model.__init__ is written for instances made in code: it sends
pre_init and post_init and sets each field through its descriptor. For a row from the database,
with no one listening to pre_init and no descriptor that does more than store the value, the
instance is the same with its values put straight into its __dict__, then post_init sent to
whoever listens to it, as Model.__init__ ends (Django's documented hook for this is
Model.from_db).
"""

from django.db.models import signals
from django.db.models.base import ModelState
from django.db.models.fields.files import FileDescriptor, ImageFileDescriptor
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute

# Descriptors that, on a new instance, only store the value in __dict__ (DeferredAttribute has
# no __set__ at all; a file field's wraps the value in a FieldFile when it is read, and an image
# field's reads the new file's dimensions only when it replaces one the instance already had).
_PLAIN = (DeferredAttribute, ForeignKeyDeferredAttribute, FileDescriptor, ImageFileDescriptor)


def _stored_plainly(model) -> bool:
    for field in model._meta.concrete_fields:
        descriptor = next(
            (
                klass.__dict__[field.attname]
                for klass in model.__mro__
                if field.attname in klass.__dict__
            ),
            None,
        )
        if type(descriptor) not in _PLAIN:
            return False
    return True


class LoadedFromRows:
    """A model mixin: `from_db` fills a new instance's __dict__ from the row, as Model.__init__
    would, when nothing listens to the model's pre_init and every field is stored plainly, and
    sends post_init if anyone listens (an image field with width and height fields does: it
    fills them in when they are empty); otherwise Django's own from_db."""

    @classmethod
    def from_db(cls, db, field_names, values):
        plain = cls.__dict__.get("_stored_plainly")
        if plain is None:
            plain = _stored_plainly(cls)
            # Per class: a subclass (a proxy) asks for itself.
            type.__setattr__(cls, "_stored_plainly", plain)
        if not plain or signals.pre_init.has_listeners(cls):
            return super().from_db(db, field_names, values)
        instance = cls.__new__(cls)
        state = instance._state = ModelState()
        state.adding = False
        state.db = db
        # `field_names` are the attnames of `values`, in order; a deferred field has neither.
        instance.__dict__.update(zip(field_names, values, strict=True))
        if signals.post_init.has_listeners(cls):
            signals.post_init.send(sender=cls, instance=instance)
        return instance
