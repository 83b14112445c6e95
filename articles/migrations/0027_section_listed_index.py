from django.db import migrations, models


class Migration(migrations.Migration):
    """A section's pages read its public stories down one index in the order they list them,
    their ids in it too: a deep page skips the stories before it in the index alone."""

    dependencies = [
        ("articles", "0026_byline_story_time"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="article", name="article_section_pub_idx"),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["section", "-published_at", "-created_at"],
                include=["id"],
                condition=models.Q(status="published"),
                name="article_section_listed_idx",
            ),
        ),
    ]
