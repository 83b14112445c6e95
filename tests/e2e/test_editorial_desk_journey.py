"""The editorial desk in a real browser: the front page, two editors on one story, a restore,
a correction readers see, and the tag picker's Enter on a prefix."""

import re

import pytest
from playwright.sync_api import expect

from .browser import DEMO_PASSWORD, choose_autocomplete, log_in
from .conftest import manage

pytestmark = pytest.mark.e2e

HEADLINE = "Desk journey: water rationing eased in the north"
SLUG = "desk-journey-water-rationing-eased"
THEIR_HEADLINE = "Desk journey: water rationing eased across the north"
CORRECTION = "An earlier version of this story gave the wrong date for the decision."

SETUP = f"""
from datetime import timedelta
from django.contrib.auth.models import Group, User
from django.utils import timezone
from articles.models import Article, Author, Byline, Section

desk = User.objects.filter(username="desk2").first() or User(username="desk2", is_staff=True)
desk.first_name, desk.last_name = "Dana", "Levi"
desk.set_password("{DEMO_PASSWORD}")
desk.save()
desk.groups.add(Group.objects.get(name="Editors"))
story = Article.objects.create(
    headline="{HEADLINE}", slug="{SLUG}", section=Section.objects.get(slug="israel"),
    subheadline="Reservoirs are fuller than expected.", body="<p>Rationing eases on Monday.</p>",
    status="published", published_at=timezone.now() - timedelta(days=3),
)
Byline.objects.create(article=story, author=Author.objects.first())
print(story.pk)
"""


@pytest.fixture(scope="module")
def story_id(site_env, base_url):
    return int(manage(site_env, "shell", "-c", SETUP).strip().splitlines()[-1])


def test_an_editor_runs_the_desk(new_context, story_id):
    editor = log_in(new_context().new_page(), "editor")
    change_url = f"/admin/articles/article/{story_id}/change/"

    # The lead slot: a three-day-old story leads the home page because an editor put it there.
    editor.goto("/admin/articles/frontpageslot/add/")
    editor.locator("#id_position").select_option("1")
    choose_autocomplete(editor, "id_article", "Desk journey")
    editor.locator("[name=_save]").click()
    expect(editor.locator(".messagelist")).to_contain_text("was added successfully")
    reader = new_context().new_page()
    reader.goto("/")
    expect(reader.locator("article.story--lead")).to_contain_text(HEADLINE)

    # Two editors open the story; the second to open it is told the first has it open.
    editor.goto(change_url)
    spellcheck = editor.locator(".ProseMirror[contenteditable=true]").get_attribute("spellcheck")
    assert spellcheck != "false"
    other = log_in(new_context().new_page(), "desk2")
    other.goto(change_url)
    expect(other.locator(".edit-lock")).to_contain_text("has this story open")
    expect(other.locator(".edit-lock")).to_contain_text("editor")
    other.locator("#id_headline").fill(THEIR_HEADLINE)
    other.locator("[name=_save]").first.click()
    expect(other.locator(".messagelist")).to_contain_text("was changed successfully")

    # The first editor's save, from a form opened before theirs, is refused and explained.
    editor.locator("#id_subheadline").fill("Reservoirs are at their highest in a decade.")
    editor.locator("[name=_save]").first.click()
    expect(editor.locator(".errorlist")).to_contain_text("Not saved: Dana Levi changed this story")
    expect(editor.locator(".stale-changes ins")).to_contain_text("across")
    expect(editor.locator("#id_subheadline")).to_have_value(
        "Reservoirs are at their highest in a decade."
    )

    # Restore the version from before either editor's change.
    editor.goto(f"/admin/articles/article/{story_id}/history/")
    editor.get_by_role("link", name="Restore this version").last.click()
    expect(editor.locator("#id_headline")).to_have_value(HEADLINE)
    editor.locator("[name=_save]").first.click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")
    editor.goto(f"/admin/articles/article/{story_id}/history/")
    expect(editor.locator("#change-history tbody tr").first).to_contain_text("Reverted")

    # A correction, and a tag chosen by typing the start of an existing one and pressing Enter.
    editor.goto(change_url)
    editor.get_by_text(re.compile("Add another Correction", re.I)).click()
    editor.locator("#id_corrections-0-text").fill(CORRECTION)
    search = editor.locator("#id_tags + .select2 .select2-search__field")
    search.click()
    search.fill("Hostage")
    editor.locator(".select2-results__option", has_text="Hostage Deal").first.wait_for()
    search.press("Enter")
    expect(editor.locator("#id_tags + .select2 .select2-selection__choice")).to_have_text(
        [re.compile("Hostage Deal")]
    )
    editor.locator("[name=_save]").first.click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")

    reader.goto(f"/israel/{SLUG}/")
    expect(reader.locator("#corrections")).to_contain_text(CORRECTION)
    expect(reader.get_by_role("link", name="Hostage Deal")).to_be_visible()
    reader.goto("/corrections/")
    reader.get_by_role("link", name=HEADLINE).click()
    expect(reader).to_have_url(re.compile(rf"/israel/{SLUG}/#corrections$"))
