from django.db import migrations

# Each byline carries its story's publication time, kept by the database, as each tag link does
# (0024): an author's newest stories are then read down "byline_story_time_idx", the same
# bounded read for a reporter with one story as for one with thousands
# (ArticleQuerySet.listed_under). The functions plan each run for its own row (0025's reason).
# Postgres only: the quickstart's SQLite lists an author's stories by the story's own column.
TRIGGER_SQL = """
ALTER TABLE articles_byline ADD COLUMN story_published_at timestamptz;
UPDATE articles_byline AS byline SET story_published_at = story.published_at
    FROM articles_article AS story WHERE story.id = byline.article_id;
CREATE INDEX byline_story_time_idx
    ON articles_byline (author_id, story_published_at) INCLUDE (article_id);
CREATE FUNCTION byline_story_time() RETURNS trigger AS $$
BEGIN
    NEW.story_published_at := (SELECT published_at FROM articles_article WHERE id = NEW.article_id);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan;
CREATE TRIGGER byline_story_time
    BEFORE INSERT OR UPDATE OF article_id ON articles_byline
    FOR EACH ROW EXECUTE FUNCTION byline_story_time();
CREATE FUNCTION story_bylines_time() RETURNS trigger AS $$
BEGIN
    UPDATE articles_byline SET story_published_at = NEW.published_at WHERE article_id = NEW.id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan;
CREATE TRIGGER story_bylines_time AFTER UPDATE OF published_at ON articles_article
    FOR EACH ROW WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at)
    EXECUTE FUNCTION story_bylines_time();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS story_bylines_time ON articles_article;
DROP FUNCTION IF EXISTS story_bylines_time();
DROP TRIGGER IF EXISTS byline_story_time ON articles_byline;
DROP FUNCTION IF EXISTS byline_story_time();
ALTER TABLE articles_byline DROP COLUMN IF EXISTS story_published_at;
"""


def add_story_time(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL)


def drop_story_time(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0025_story_time_triggers_planned_per_row"),
    ]

    operations = [migrations.RunPython(add_story_time, drop_story_time)]
