"""Issue 22: each story's count of the comments readers see, kept up to date instead of counted
on every render; filled here from the comments already stored."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, Q


def count_existing(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    StoryCommentCount = apps.get_model("comments", "StoryCommentCount")
    # CommentQuerySet.approved(), which historical models do not have.
    approved = Comment.objects.filter(status="approved", withdrawn_at__isnull=True).filter(
        Q(parent__isnull=True) | Q(parent__status="approved")
    )
    counts = approved.order_by().values_list("article_id").annotate(n=Count("pk"))
    StoryCommentCount.objects.bulk_create(
        (StoryCommentCount(article_id=pk, approved=n) for pk, n in counts.iterator()),
        batch_size=5000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_story_blocks"),
        ("comments", "0006_translated_labels"),
    ]

    operations = [
        migrations.CreateModel(
            name="StoryCommentCount",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("approved", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(count_existing, migrations.RunPython.noop),
    ]
