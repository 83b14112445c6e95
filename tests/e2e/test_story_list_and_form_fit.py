"""The story list and the story form at a laptop's width and a phone's: the list fits its box
(headlines in a few lines, every column in view), the headline input takes a whole headline,
and the character counts follow the typing, and read without JavaScript."""

import pytest
from playwright.sync_api import expect

from .browser import REFERENCE_HEADLINE, log_in

pytestmark = pytest.mark.e2e

LIST = "/admin/articles/article/"
LONG_HEADLINE = "Ministers agree a ceasefire framework after nine hours of talks in Cairo overnight"

MEASURE_LIST = """() => {
  const box = document.querySelector('#changelist .results');
  const headlines = Array.from(document.querySelectorAll('#result_list .field-headline a'));
  const lines = headlines.map((a) => Math.round(a.getBoundingClientRect().height /
      parseFloat(getComputedStyle(a).lineHeight)));
  const right = (name) => document.querySelector(`#result_list th.column-${name}`).getBoundingClientRect().right;
  return {
    page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
    box: [box.scrollWidth, box.clientWidth, box.getBoundingClientRect().right],
    most_lines: Math.max(...lines),
    updated: right('updated'), open_by: right('open_by'),
  };
}"""


def test_the_story_list_fits_its_box_at_a_laptops_width(new_context, screenshots):
    page = log_in(new_context(viewport={"width": 1280, "height": 900}).new_page(), "editor")
    page.goto(LIST)
    sizes = page.evaluate(MEASURE_LIST)
    page.screenshot(path=screenshots / "story-list-1280.png")
    assert sizes["page"][0] <= sizes["page"][1], sizes  # no sideways scrolling of the page
    assert sizes["box"][0] <= sizes["box"][1], sizes  # nor of the list in its box
    assert sizes["most_lines"] <= 3, sizes  # a headline reads in a few lines, not seven
    # Updated and Open by are in view without scrolling.
    assert sizes["updated"] <= sizes["box"][2] and sizes["open_by"] <= sizes["box"][2], sizes
    assert sizes["open_by"] <= 1280


def test_the_story_list_keeps_the_page_still_on_a_phone(new_context):
    page = log_in(new_context(viewport={"width": 390, "height": 844}).new_page(), "editor")
    page.goto(LIST)
    sizes = page.evaluate(MEASURE_LIST)
    # The list may scroll inside its own box on a phone (the admin's design); the page does not.
    assert sizes["page"][0] <= sizes["page"][1], sizes


def open_reference_story(page):
    page.goto(f"{LIST}?q=ceasefire+talks+gain+momentum")
    page.get_by_role("link", name=REFERENCE_HEADLINE, exact=True).click()
    expect(page.locator("#id_headline")).to_have_value(REFERENCE_HEADLINE)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_headline_input_takes_a_whole_headline_and_counts_it(new_context, width):
    page = log_in(new_context(viewport={"width": width, "height": 900}).new_page(), "editor")
    open_reference_story(page)
    # The empty choice named for the validators stays out of sight: the picker shows its own
    # (empty) placeholder in its place.
    expect(page.locator("#select2-id_social_image-container")).not_to_contain_text("None")
    headline = page.locator("#id_headline")
    count = page.locator("#id_headline_count")
    expect(count).to_have_text(
        f"{len(REFERENCE_HEADLINE)} characters: search results show about 60; "
        "social cards about 70."
    )
    headline.fill(LONG_HEADLINE)
    expect(count).to_have_text(
        f"{len(LONG_HEADLINE)} characters: search results show about 60 "
        f"({len(LONG_HEADLINE) - 60} over); social cards about 70 ({len(LONG_HEADLINE) - 70} over)."
    )
    expect(count).to_have_class("help character-count character-count-over")
    box = headline.evaluate(
        "input => ({width: input.getBoundingClientRect().width, right:"
        " input.getBoundingClientRect().right, scroll: input.scrollWidth, client: input.clientWidth,"
        " page: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth})"
    )
    assert box["page"] <= box["viewport"], box
    assert box["right"] <= box["viewport"], box
    if width == 1280:
        assert box["width"] >= 600, box  # about 85 characters, not 270 px
        assert box["scroll"] <= box["client"], box  # this long headline is seen whole
    # The count names the input it counts.
    assert "id_headline_count" in headline.get_attribute("aria-describedby")


def test_the_counts_read_without_javascript(new_context):
    context = new_context(java_script_enabled=False)
    page = log_in(context.new_page(), "editor")
    open_reference_story(page)
    expect(page.locator("#id_headline_count")).to_have_text(
        f"{len(REFERENCE_HEADLINE)} characters: search results show about 60; "
        "social cards about 70."
    )
    expect(page.locator("#id_meta_description_count")).to_contain_text(
        "search results show about 155"
    )
