"""IP bans are matched in canonical form (comments/addresses.py): rewrite the stored ones."""

from django.db import migrations, models


def canonicalise(apps, schema_editor):
    from comments.addresses import canonical_network

    Ban = apps.get_model("comments", "Ban")
    for ban in Ban.objects.filter(kind="ip"):
        try:
            value = canonical_network(ban.value)
        except ValueError:
            continue
        if value == ban.value:
            continue
        if Ban.objects.filter(kind="ip", value=value).exists():
            ban.delete()  # the same address, banned twice in two spellings
        else:
            ban.value = value
            ban.save(update_fields=["value"])


class Migration(migrations.Migration):
    dependencies = [("comments", "0002_moderators_permissions")]

    operations = [
        migrations.AlterField(
            model_name="ban",
            name="value",
            field=models.CharField(
                help_text="The email address (any case, with or without a +tag), or the IP address or range (such as 203.0.113.0/24 or 2001:db8::/48).",
                max_length=254,
            ),
        ),
        migrations.RunPython(canonicalise, migrations.RunPython.noop),
    ]
