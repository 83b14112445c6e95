from django.db import migrations, models


class Migration(migrations.Migration):
    """Deep list pages walk the stories they skip from an index: ids and sort keys only."""

    dependencies = [
        ("articles", "0011_search_published_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["id"],
                include=["published_at", "created_at"],
                condition=models.Q(status="published"),
                name="article_published_cover_idx",
            ),
        ),
    ]
