"""The front page overview in a real browser, at a desk's width and a phone's: every place as
readers see it, rearranged in one form with the keyboard alone, valid HTML, no serious axe-core
violation, nothing wider than the screen."""

import re

import pytest
from playwright.sync_api import expect

from .browser import describe, log_in, serious_violations
from .conftest import manage
from .test_html_validity import nu_check
from .test_reflow import reflows

pytestmark = pytest.mark.e2e

OVERVIEW = "/admin/articles/frontpageslot/overview/"
FIRST = "Overview journey: harbour reopens"
SECOND = "Overview journey: storm warning lifted"

RESET = """
from articles.models import FrontPageLayout, FrontPageSlot
FrontPageSlot.objects.filter(article__slug__startswith="overview-journey-").delete()
FrontPageLayout.objects.filter(pk=1).delete()
"""
# Two public stories, placed in the lead and the first top place, on a five-place front page.
SETUP = f"""
from datetime import timedelta
from django.utils import timezone
from articles.models import Article, Author, Byline, FrontPageLayout, FrontPageSlot, Section

FrontPageSlot.objects.all().delete()
FrontPageLayout.objects.filter(pk=1).delete()
for position, headline in enumerate(["{FIRST}", "{SECOND}"], 1):
    story, _ = Article.objects.get_or_create(
        slug=f"overview-journey-{{position}}",
        defaults=dict(headline=headline, section=Section.objects.get(slug="israel"),
                      body="<p>Words.</p>", status="published",
                      published_at=timezone.now() - timedelta(days=4)),
    )
    if not story.bylines.exists():
        Byline.objects.create(article=story, author=Author.objects.first())
    FrontPageSlot.objects.create(position=position, article=story)
"""


@pytest.fixture
def placed(site_env, base_url):
    """The two stories placed; afterwards the front page as the demo had it (no slots, five
    places) for the journeys that follow."""
    manage(site_env, "shell", "-c", SETUP)
    yield
    manage(site_env, "shell", "-c", RESET)


def tab_to(page, target, most=12) -> None:
    """Press Tab until `target` has the focus, as a keyboard user moves through the form."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{target} cannot be reached with Tab")


@pytest.mark.usefixtures("placed")
@pytest.mark.parametrize("width", [1280, 390])
def test_an_editor_rearranges_the_front_page_with_the_keyboard(
    new_context, base_url, tmp_path, width
):
    editor = log_in(new_context(viewport={"width": width, "height": 900}).new_page(), "editor")
    editor.goto(OVERVIEW)

    # Every place, and what fills those nobody chose.
    places = editor.locator("table.front-page-places tbody tr")
    expect(places).to_have_count(5)
    expect(places.nth(0)).to_contain_text(FIRST)
    expect(places.nth(1)).to_contain_text(SECOND)
    expect(places.nth(2)).to_contain_text("(newest story)")

    # Valid, accessible, and no wider than the screen.
    html = editor.request.get(base_url + OVERVIEW).text()
    errors = nu_check({"overview": html}, tmp_path)
    assert not any(errors.values()), errors
    violations = serious_violations(editor)
    assert violations == [], describe(violations)
    fit = reflows(editor)
    assert fit["scroll"] <= fit["client"] and fit["clipped"] == [], fit

    # Trade the two stories' places and add a place, by keyboard alone; Enter saves.
    first = editor.get_by_label(f"Place of “{FIRST}”")
    first.focus()
    editor.keyboard.press("Control+A")
    editor.keyboard.type("2")
    tab_to(editor, editor.get_by_label(f"Place of “{SECOND}”"))  # past its take-off box, links
    editor.keyboard.press("Control+A")
    editor.keyboard.type("1")
    tab_to(editor, editor.get_by_label(re.compile("Places on the front page")))
    editor.keyboard.press("Control+A")
    editor.keyboard.type("6")
    editor.keyboard.press("Enter")

    expect(editor.locator(".messagelist")).to_contain_text("The front page is saved.")
    expect(places).to_have_count(6)
    expect(places.nth(0)).to_contain_text(SECOND)
    expect(places.nth(1)).to_contain_text(FIRST)

    reader = new_context(viewport={"width": width, "height": 900}).new_page()
    reader.goto("/")
    expect(reader.locator("article.story--lead")).to_contain_text(SECOND)
    expect(reader.locator(".top-stories article")).to_have_count(5)
