from django.db import migrations

# The search document, stored: a weighted tsvector the database computes whenever a row is
# written (a generated column), whatever writes it (admin, bulk imports, queryset.update()).
# Postgres only, and kept out of the model on purpose: SQLite (the quickstart) has no tsvector,
# and as a model field it would be fetched by every query of every page. articles/search.py
# reads it by name; the weights are headline A, subheadline B, body C.
ADD_DOCUMENT = """
ALTER TABLE articles_article ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(headline, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(subheadline, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')
) STORED;
CREATE INDEX article_search_document_idx ON articles_article USING gin (search_document);
DROP INDEX IF EXISTS article_search_idx;
"""

# Back to 0003's expression index.
REMOVE_DOCUMENT = """
ALTER TABLE articles_article DROP COLUMN search_document;
CREATE INDEX article_search_idx ON articles_article USING gin ((
    setweight(to_tsvector('english'::regconfig, coalesce(headline, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(subheadline, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')
));
"""


def add_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD_DOCUMENT)


def remove_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REMOVE_DOCUMENT)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0008_i8_content_version_in_cache"),
    ]

    operations = [
        migrations.RunPython(add_document, remove_document),
    ]
