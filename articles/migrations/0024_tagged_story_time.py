from django.db import migrations

# Each tag link carries its story's publication time, kept by the database
# (articles/models/story_queries.py, related_in): a story's related stories are then found from
# its tags' side, in "tagged_story_time_idx", rather than by counting the tags of every story
# published in its window. Postgres only: the quickstart's SQLite counts them.
TRIGGER_SQL = """
ALTER TABLE articles_taggedarticle ADD COLUMN story_published_at timestamptz;
UPDATE articles_taggedarticle AS link SET story_published_at = story.published_at
    FROM articles_article AS story WHERE story.id = link.content_object_id;
CREATE INDEX tagged_story_time_idx
    ON articles_taggedarticle (tag_id, story_published_at) INCLUDE (content_object_id);
CREATE FUNCTION tagged_story_time() RETURNS trigger AS $$
BEGIN
    NEW.story_published_at := (
        SELECT published_at FROM articles_article WHERE id = NEW.content_object_id
    );
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER tagged_story_time
    BEFORE INSERT OR UPDATE OF content_object_id ON articles_taggedarticle
    FOR EACH ROW EXECUTE FUNCTION tagged_story_time();
CREATE FUNCTION story_tags_time() RETURNS trigger AS $$
BEGIN
    UPDATE articles_taggedarticle SET story_published_at = NEW.published_at
        WHERE content_object_id = NEW.id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER story_tags_time AFTER UPDATE OF published_at ON articles_article
    FOR EACH ROW WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at)
    EXECUTE FUNCTION story_tags_time();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS story_tags_time ON articles_article;
DROP FUNCTION IF EXISTS story_tags_time();
DROP TRIGGER IF EXISTS tagged_story_time ON articles_taggedarticle;
DROP FUNCTION IF EXISTS tagged_story_time();
ALTER TABLE articles_taggedarticle DROP COLUMN IF EXISTS story_published_at;
"""


def add_story_time(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL)


def drop_story_time(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0023_photo_stories_index"),
    ]

    operations = [migrations.RunPython(add_story_time, drop_story_time)]
