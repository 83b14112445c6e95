"""The Moderators group runs the comment queue: decide on comments, manage bans and banned words.

Nothing on articles. Permissions are created after migrations run, so make them here (as in
articles/0002_editorial_groups).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_PERMISSIONS = [
    "view_comment", "change_comment",
    "view_report",
    "view_ban", "add_ban", "change_ban", "delete_ban",
    "view_bannedword", "add_bannedword", "change_bannedword", "delete_bannedword",
]  # fmt: skip


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="comments", codename__in=MODERATOR_PERMISSIONS
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Moderators").first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="comments", codename__in=MODERATOR_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("articles", "0002_editorial_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
