from django.db import migrations, models
from django.db.models.functions import Coalesce


class Migration(migrations.Migration):
    """Sitemap lastmods read from indexes: the newest change overall and per section."""

    dependencies = [
        ("articles", "0009_i8_search_document"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                models.OrderBy(Coalesce("revised_at", "published_at"), descending=True),
                condition=models.Q(status="published"),
                name="article_latest_change_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                models.F("section"),
                models.OrderBy(Coalesce("revised_at", "published_at"), descending=True),
                condition=models.Q(status="published"),
                name="article_section_change_idx",
            ),
        ),
    ]
