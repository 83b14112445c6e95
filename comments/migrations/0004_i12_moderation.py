"""Decisions with reasons (the comment's history); editors and moderators may close a story's
comments from the queue, so editors see the queue too (read-only: deciding stays with moderators)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GRANTS = {
    "Moderators": ["close_comments", "view_decision"],
    "Editors": ["view_comment", "view_report", "view_decision", "close_comments"],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="comments", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="comments", codename__in=codenames
                )
            )


class Migration(migrations.Migration):

    dependencies = [
        ('comments', '0003_i10_canonical_ip_bans'),
        ('articles', '0002_editorial_groups'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='comment',
            options={'ordering': ['created_at', 'pk'], 'permissions': [('close_comments', "Can close or reopen a story's comments")]},
        ),
        migrations.CreateModel(
            name='Decision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('pending', 'Pending'), ('approved', 'Approved'), ('rejected', 'Rejected'), ('spam', 'Spam')], max_length=10)),
                ('reason', models.CharField(blank=True, choices=[('abusive', 'Abusive'), ('spam', 'Spam'), ('off-topic', 'Off-topic'), ('personal', 'Personal information'), ('legal', 'Legal risk'), ('other', 'Other')], help_text='Why it was rejected.', max_length=10)),
                ('note', models.CharField(blank=True, max_length=300)),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
                ('first', models.BooleanField(default=False, help_text="The comment's first decision: what time-to-decision measures.")),
                ('waited', models.DurationField(help_text='From posting to this decision.')),
                ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('comment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='decisions', to='comments.comment')),
            ],
            options={
                'ordering': ['at', 'pk'],
                'indexes': [models.Index(fields=['at'], name='decision_at_idx')],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
