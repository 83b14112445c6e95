"""The stored search document, in the edition's language (Postgres only).

`articles_article.search_document` is a weighted tsvector that Postgres generates whenever a row
is written (headline A, subheadline B, body C; the body is the words of every block: text,
headings, quotes, fact boxes, table cells, captions). It is not a model field: SQLite (the
quickstart) has no tsvector, and a model field would be fetched by every query of every page.
articles/public/search.py reads it by name and parses queries with the same configuration.

Which full-text configuration fits NEWSROOM_LANGUAGE: Postgres's snowball stemmer for the
language where it ships one (`english`, `arabic`…), else `simple` (lowercased words, no stemming,
no stop words) — Postgres has no Hebrew stemmer. NEWSROOM_SEARCH_CONFIG names another one (a
configuration the operator installed) instead.

Hebrew writes "the", "and", "in", "to", "from", "that" and "as" as one-letter prefixes (ה ו ב ל
מ ש כ) of the next word: `simple` keeps הממשלה whole, so a search for ממשלה would miss it. With
`simple` for Hebrew, each prefixed word is also indexed without its first letter (a word of four
letters or more): ממשלה finds הממשלה, ובירושלים finds … בירושלים, not ירושלים (one letter only,
on purpose: stripping two would index too many false words, such as שלה from ממשלה).

A generated column's expression is fixed when the column is made (Postgres 15 cannot alter it),
so a new language means a new column: `rebuild()` drops and re-adds it with its index, in one
transaction (a table rewrite: the table is locked meanwhile). Migration 0017 builds it for the
configured language; `manage.py rebuild_search` rebuilds it after NEWSROOM_LANGUAGE changes, and
the `articles.W001` check (shown by `migrate` and `check --database default`) says when the
stored document does not match the setting. The column's comment records what it was built as.
"""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import connections, transaction

# The languages Postgres 15 ships a stemmer for (`\dF`), by ISO 639-1 code.
STEMMED = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "da": "danish",
    "nl": "dutch", "en": "english", "fi": "finnish", "fr": "french", "de": "german",
    "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "nb": "norwegian", "no": "norwegian",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "es": "spanish",
    "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip
FIELDS = (("headline", "A"), ("subheadline", "B"), ("body", "C"))
HEBREW_PREFIXES = "הובלמשכ"
UNPREFIXED_FUNCTION = "newsroom_hebrew_unprefixed"
# Made by migration 0017: the words of a text that start with a prefix letter, without it.
# Letters are spelled out (U+05D0-U+05EA), not [[:alpha:]]: in a C-locale database Postgres's
# regular expressions class no Hebrew letter as a letter.
CREATE_UNPREFIXED_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {UNPREFIXED_FUNCTION}(words text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(string_agg(found[2], ' '), '')
    FROM regexp_matches(words, '(^|[^א-ת])[{HEBREW_PREFIXES}]([א-ת]{{3,}})', 'g') AS found
$$;
"""
INDEX = "article_search_published_idx"


def language() -> str:
    """The edition's language without its territory: `pt-br` is `pt`."""
    return settings.NEWSROOM_LANGUAGE.lower().replace("_", "-").split("-")[0]


def search_config() -> str:
    """The full-text configuration the document and every query use."""
    return settings.NEWSROOM_SEARCH_CONFIG or STEMMED.get(language(), "simple")


def unprefixes_hebrew() -> bool:
    return language() == "he" and search_config() == "simple"


def built_as() -> str:
    """What the document is for the current settings: the comment the column carries."""
    return f"{search_config()} unprefixed-hebrew" if unprefixes_hebrew() else search_config()


def document_sql(config: str, unprefixed: bool) -> str:
    def words(field):
        text = f"coalesce({field}, '')"
        return f"{text} || ' ' || {UNPREFIXED_FUNCTION}({text})" if unprefixed else text

    return " || ".join(
        f"setweight(to_tsvector('{config}'::regconfig, {words(field)}), '{weight}')"
        for field, weight in FIELDS
    )


def stored_as(using: str = "default") -> str | None:
    """What the stored document was built as (None: no document, or one from before 0017)."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT col_description(attrelid, attnum) FROM pg_attribute"
            " WHERE attrelid = to_regclass('articles_article') AND attname = 'search_document'"
            " AND NOT attisdropped"
        )
        row = cursor.fetchone()
    return row[0] if row else None


def rebuild(using: str = "default") -> str:
    """Rebuild the document (and its index) for the current settings; returns what it is."""
    config, unprefixed, label = search_config(), unprefixes_hebrew(), built_as()
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        # The configuration is checked (and quoted) by Postgres before it is written into SQL.
        cursor.execute("SELECT %s::regconfig::text", [config])
        config = cursor.fetchone()[0].replace("'", "''")
        # ALTER TABLE refuses while foreign keys this transaction wrote wait to be checked
        # (rows written before the rebuild in the same transaction: a test, a data migration).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(CREATE_UNPREFIXED_FUNCTION)
        cursor.execute("ALTER TABLE articles_article DROP COLUMN IF EXISTS search_document")
        cursor.execute(
            "ALTER TABLE articles_article ADD COLUMN search_document tsvector"
            f" GENERATED ALWAYS AS ({document_sql(config, unprefixed)}) STORED"
        )
        # As migration 0011 made it: published stories only, written through.
        cursor.execute(
            f"CREATE INDEX {INDEX} ON articles_article USING gin (search_document)"
            " WITH (fastupdate = off) WHERE status = 'published'"
        )
        cursor.execute("COMMENT ON COLUMN articles_article.search_document IS %s", [label])
        cursor.execute("ANALYZE articles_article")
    return label


@register(Tags.database)
def check_search_document(app_configs=None, databases=None, **kwargs):
    """Searches parse words as the settings say; the stored document must have been built so."""
    problems = []
    for alias in databases or ():
        if connections[alias].vendor != "postgresql":
            continue
        stored = stored_as(alias)
        if stored is not None and stored != built_as():
            problems.append(
                Warning(
                    f"The search document is built as '{stored}', but NEWSROOM_LANGUAGE="
                    f"{settings.NEWSROOM_LANGUAGE} searches as '{built_as()}': searches miss "
                    "stories until it is rebuilt.",
                    hint="Run `python manage.py rebuild_search` (it locks the stories table "
                    "while it rewrites it).",
                    id="articles.W001",
                )
            )
    return problems
