from django.db import migrations, models

import articles.models.sections

# The search document (0009, 0011) in the edition's language: built for NEWSROOM_LANGUAGE as it
# is when this runs (an English edition keeps 'english', as before), and labelled with what it
# was built as; `manage.py rebuild_search` rebuilds it when the language changes later
# (articles/models/search_document.py). Reading settings here is on purpose: the document is
# the one thing in the schema that depends on the language. And slugs in any alphabet
# (articles/models/stories.py says why): a change of validation only, nothing in the tables.

DROP_FUNCTION = "DROP FUNCTION IF EXISTS newsroom_hebrew_unprefixed(text)"


def build_for_language(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from articles.models import search_document

        search_document.rebuild(schema_editor.connection.alias)


def back_to_english(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from articles.models import search_document

        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "ALTER TABLE articles_article DROP COLUMN search_document;"
                " ALTER TABLE articles_article ADD COLUMN search_document tsvector"
                f" GENERATED ALWAYS AS ({search_document.document_sql('english', False)}) STORED;"
                f" CREATE INDEX {search_document.INDEX} ON articles_article"
                " USING gin (search_document) WITH (fastupdate = off)"
                " WHERE status = 'published';"
            )
            cursor.execute(DROP_FUNCTION)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0017_desk_handoffs"),
    ]

    operations = [
        migrations.RunPython(build_for_language, back_to_english),
        migrations.AlterField(
            model_name="article",
            name="slug",
            field=models.SlugField(
                allow_unicode=True,
                help_text="The story's address: lowercase words (in any alphabet) and hyphens.",
                max_length=200,
                unique=True,
            ),
        ),
        migrations.AlterField(
            model_name="author",
            name="slug",
            field=models.SlugField(allow_unicode=True, max_length=120, unique=True),
        ),
        migrations.AlterField(
            model_name="section",
            name="slug",
            field=models.SlugField(
                allow_unicode=True,
                max_length=80,
                unique=True,
                validators=[articles.models.sections.validate_section_slug],
            ),
        ),
    ]
