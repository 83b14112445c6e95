import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

EDITOR_PERMISSIONS = ["add_apikey", "change_apikey", "delete_apikey", "view_apikey"]


def editors_manage_api_keys(apps, schema_editor):
    """Editors make, name and revoke content API keys (migration 0002 made the groups)."""
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles", codename__in=EDITOR_PERMISSIONS
        )
    )


class Migration(migrations.Migration):
    """Keys for the content API (articles/api), stored hashed; an index for its syncing clients."""

    dependencies = [
        ("articles", "0012_published_cover_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiKey",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(help_text="Who uses the key, such as “iOS app” or “Partner: Ynet”.", max_length=100, unique=True)),
                ("prefix", models.CharField(editable=False, help_text="The start of the key, to tell keys apart. The rest is never stored.", max_length=8, unique=True)),
                ("hashed_secret", models.CharField(editable=False, max_length=64)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("revoked_at", models.DateTimeField(blank=True, editable=False, help_text="A revoked key is refused at once (and its cached answers purged).", null=True)),
                ("created_by", models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={"verbose_name": "API key", "ordering": ["name"]},
        ),
        migrations.RunPython(editors_manage_api_keys, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(condition=models.Q(("status", "published")), fields=["updated_at"], name="article_updated_published_idx"),
        ),
    ]  # fmt: skip
