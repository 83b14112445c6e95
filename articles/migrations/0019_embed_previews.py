from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0018_search_language'),
    ]

    operations = [
        migrations.CreateModel(
            name='EmbedPreview',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('url', models.URLField(help_text="The embed's address, as its block stores it.", max_length=500, unique=True)),
                ('title', models.CharField(blank=True, max_length=300)),
                ('thumbnail', models.ImageField(blank=True, height_field='height', upload_to='embeds/%Y/%m/', width_field='width')),
                ('width', models.PositiveIntegerField(editable=False, null=True)),
                ('height', models.PositiveIntegerField(editable=False, null=True)),
                ('fetched_at', models.DateTimeField(auto_now=True)),
            ],
        ),
    ]
