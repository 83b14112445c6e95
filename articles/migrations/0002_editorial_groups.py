"""The newsroom's roles. Permissions are created after migrations run, so make them here."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER_PERMISSIONS = [
    "add_article", "change_article", "view_article",
    "add_photo", "change_photo", "view_photo",
    "view_author", "view_section", "view_byline", "add_byline", "change_byline", "delete_byline",
    "add_tag", "view_tag",
]  # fmt: skip
EDITOR_PERMISSIONS = REPORTER_PERMISSIONS + [
    "delete_article", "publish_article", "delete_photo",
    "add_author", "change_author", "delete_author",
    "add_section", "change_section", "delete_section",
    "change_tag", "delete_tag",
]  # fmt: skip


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in [("Reporters", REPORTER_PERMISSIONS), ("Editors", EDITOR_PERMISSIONS)]:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label__in=["articles", "taggit"], codename__in=codenames
            )
        )
    Group.objects.get_or_create(name="Moderators")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
