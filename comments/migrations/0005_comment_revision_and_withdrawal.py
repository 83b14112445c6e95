"""Issue 19: a decision names the revision of the words it judged; a withdrawn comment with
replies stays as a placeholder holding its thread."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0004_i12_moderation"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="revision",
            field=models.PositiveIntegerField(
                default=0,
                help_text="How many times its author changed the words. A moderator's decision names the revision it was made on, so nobody approves text they never saw.",
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="withdrawn_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When its author withdrew it. Its words are gone; it holds its place in the thread while readers see replies to it.",
                null=True,
            ),
        ),
    ]
