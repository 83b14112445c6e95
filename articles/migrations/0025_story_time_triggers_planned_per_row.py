from django.db import migrations

# A session keeps the plans of a trigger function's statements. Made while the stories and tag
# links filled a page (a new site; seed_demo's first stories before its one long transaction),
# those plans read the whole table for every link as the archive grows, until an ANALYZE
# happens to replace them. Each run planned for its own key finds the row by its index.
FUNCTIONS = ("tagged_story_time()", "story_tags_time()")


def plan_per_row(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for function in FUNCTIONS:
            schema_editor.execute(
                f"ALTER FUNCTION {function} SET plan_cache_mode = force_custom_plan"
            )


def plan_as_postgres_chooses(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for function in FUNCTIONS:
            schema_editor.execute(f"ALTER FUNCTION {function} RESET plan_cache_mode")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0024_tagged_story_time"),
    ]

    operations = [migrations.RunPython(plan_per_row, plan_as_postgres_chooses)]
