from django.db import migrations


class Migration(migrations.Migration):
    """The content version of cached pages moved to the cache (articles/page_cache.py), so that a
    cache hit needs no database query."""

    dependencies = [
        ("articles", "0004_content_version"),
    ]

    operations = [
        migrations.DeleteModel(name="ContentVersion"),
    ]
