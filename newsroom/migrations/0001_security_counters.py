from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='SecurityCounter',
            fields=[
                ('key', models.CharField(max_length=100, primary_key=True, serialize=False)),
                ('count', models.PositiveIntegerField()),
                ('expires_at', models.DateTimeField(db_index=True, help_text='The count starts again from nothing at this time.')),
            ],
            options={
                'verbose_name': 'security counter',
            },
        ),
    ]
