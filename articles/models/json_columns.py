"""JSON columns read with orjson.

A reader page decodes the JSON of every story and photo it shows (a story's blocks, a photo's
renditions), and Python's own decoder builds each document's dicts and lists several times
slower than orjson does. Writing, validation, lookups and forms are Django's JSONField's.
"""

import orjson
from django.db import models
from django.db.models import ExpressionWrapper
from django.db.models.functions import JSONObject


class JSONField(models.JSONField):
    """Django's JSONField, its stored text decoded by orjson; whatever orjson refuses (a number
    too large for 64 bits, a lone surrogate) goes to Django's own reading, which decides."""

    def from_db_value(self, value, expression, connection):
        if type(value) is str:
            try:
                return orjson.loads(value)
            except orjson.JSONDecodeError:
                pass
        return super().from_db_value(value, expression, connection)

    def deconstruct(self):
        # The column is Django's JSONField's: migrations need not know how it is read.
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.JSONField", args, kwargs


def json_object(**fields) -> ExpressionWrapper:
    """Django's JSONObject (columns as one JSON object in a row), read back as these columns are."""
    return ExpressionWrapper(JSONObject(**fields), output_field=JSONField())
