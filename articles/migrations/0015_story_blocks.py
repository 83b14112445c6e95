from django.db import migrations, models
from django.db.models import F, Value
from django.db.models.functions import JSONArray, JSONObject

import articles.models.blocks


def body_to_first_text_block(apps, schema_editor):
    """Every story's body becomes its first (and only) text block, in one statement: the body
    is already sanitised (on every save since the first migration), and stays as it was."""
    Article = apps.get_model("articles", "Article")
    Article.objects.exclude(body="").update(
        blocks=JSONArray(JSONObject(type=Value("text"), html=F("body")))
    )


class Migration(migrations.Migration):
    """Stories made of blocks (issue 20). `body` stays, derived from the blocks on every save:
    the search document (0009, 0011) is generated from it, so search keeps working unchanged,
    and going back a migration loses nothing."""

    dependencies = [
        ("articles", "0014_kinds_embargo_banner"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="blocks",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="The story's body: text, headings, photos, galleries, embeds, quotes, "
                "fact boxes, tables and story cards, in reading order.",
                validators=[articles.models.blocks.clean_blocks],
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="block_photos",
            field=models.ManyToManyField(
                blank=True, editable=False, related_name="shown_in_blocks", to="articles.photo"
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="external_id",
            field=models.CharField(
                blank=True,
                help_text="The story's identifier in the system it came from (load_stories).",
                max_length=200,
                null=True,
                unique=True,
            ),
        ),
        migrations.RunPython(body_to_first_text_block, migrations.RunPython.noop, elidable=False),
    ]
