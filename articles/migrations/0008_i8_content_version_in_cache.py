from django.db import migrations


class Migration(migrations.Migration):
    """The content version of cached pages moved to the cache (articles/page_cache.py), so that a
    cache hit needs no database query."""

    dependencies = [
        ("articles", "0007_i13_focal_point_and_search_fields"),
    ]

    operations = [
        migrations.DeleteModel(name="ContentVersion"),
    ]
