"""`seed_demo --language he|ar`: a demo newsroom written in that language, at addresses in its
script, beside the English reference story; idempotent like the English one."""

import io
import re
import unicodedata

import pytest
from django.core.management import call_command
from taggit.models import Tag

from articles.models import Article, Author, Section
from comments.models import Comment

pytestmark = pytest.mark.django_db

REFERENCE = "blinken-heads-to-israel-as-ceasefire-talks-gain-momentum"
SCRIPTS = {"he": "HEBREW", "ar": "ARABIC"}
SECTIONS = {"he": {"חדשות", "כלכלה", "ספורט"}, "ar": {"أخبار", "اقتصاد", "رياضة"}}


def seed(language, *args) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--language", language, *args, stdout=out)
    return out.getvalue()


def written_in(text: str, language: str) -> bool:
    """Most of the letters of `text` are of the language's script."""
    letters = [c for c in text if c.isalpha()]
    ours = [c for c in letters if unicodedata.name(c, "").startswith(SCRIPTS[language])]
    return len(ours) > 0.8 * len(letters)


def counts():
    models = [Section, Author, Article, Tag, Comment]
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.parametrize("language", SCRIPTS)
def test_the_demo_is_written_in_the_language_at_addresses_in_its_script(client, language):
    out = seed(language, "--users")

    stories = Article.objects.exclude(slug=REFERENCE)
    assert stories.count() == 12
    assert Article.objects.published().exclude(slug=REFERENCE).count() == 10
    assert Article.objects.scheduled().exists()
    assert stories.filter(status=Article.Status.DRAFT).exists()
    assert SECTIONS[language] <= set(Section.objects.values_list("name", flat=True))
    for story in stories:
        for text in (story.headline, story.subheadline, story.kicker, story.body):
            assert written_in(text, language), text
        assert story.slug == re.sub(r"[^\w\s-]", "", story.headline).replace(" ", "-").lower()
        assert len(story.blocks) >= 1 and story.tags.exists() and story.bylines.exists()
    assert {b["type"] for s in stories for b in s.blocks} >= {"text", "heading", "quote", "table"}
    reference_tags = Article.objects.get(slug=REFERENCE).tags.all()
    for objects in (Section.objects, Author.objects, Tag.objects.exclude(pk__in=reference_tags)):
        assert all(written_in(o.slug.replace("-", ""), language) for o in objects.all())
    comments = Comment.objects.all()
    assert comments.count() == 12
    assert all(written_in(c.body, language) for c in comments)
    # Every public page answers, the newest story (not the English reference) leads.
    for story in Article.objects.published():
        assert client.get(story.get_absolute_url()).status_code == 200
    lead = Article.objects.published().order_by("-published_at").first()
    assert lead.slug != REFERENCE and written_in(lead.headline, language)
    # The English reference story, in the edition's world section; the site's own language
    # is another: the command says how to read the demo as its readers would.
    reference = Article.objects.published().get(slug=REFERENCE)
    assert reference.headline == "Blinken heads to Israel as ceasefire talks gain momentum"
    assert reference.section.name == {"he": "עולם", "ar": "العالم"}[language]
    assert f"Demo newsroom ready: /{reference.section.slug}/{REFERENCE}/" in out
    assert f"with NEWSROOM_LANGUAGE={language}" in out
    # The demo reporter account writes as the first author, who bylines the reference story.
    assert reference.bylines.order_by("position").first().author.user.username == "reporter"


def test_seeding_twice_gives_the_same_rows(settings):
    settings.NEWSROOM_LANGUAGE = "he"
    seed("he", "--users", "--articles", "20")
    first = counts()
    out = seed("he", "--users", "--articles", "20")

    assert counts() == first
    assert first["Article"] == 12 + 1 + 20
    bulk = Article.objects.filter(slug__startswith="demo-story-")
    assert all(written_in(story.headline, "he") for story in bulk)
    assert "NEWSROOM_LANGUAGE" not in out  # the site is in Hebrew already


def test_a_language_without_a_demo_gets_the_english_one_and_is_told_so():
    out = seed("fr", "--comments", "0")

    assert "No demo is written in 'fr' yet: the English one." in out
    assert Section.objects.filter(slug="world").exists()


def test_a_hebrew_edition_finds_the_hebrew_demo_by_its_words(client, settings):
    settings.NEWSROOM_LANGUAGE = settings.LANGUAGE_CODE = "he"
    call_command("rebuild_search", stdout=io.StringIO())
    seed("he")

    html = client.get("/search/", {"q": "כנסת"}).content.decode()

    assert "הכנסת אישרה בקריאה ראשונה את חוק הדיור הציבורי" in html
