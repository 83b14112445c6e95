"""Every reader page reflows (WCAG 1.4.10): at 320 CSS px, and with text at 200%, nothing needs
sideways scrolling and no control is cut off; readers who ask for a dark scheme get one that
still passes axe-core; the search page has one search landmark."""

import pytest

from .browser import BLOCK_STORY_URL, REFERENCE_URL, describe, serious_violations

pytestmark = pytest.mark.e2e

READER_PAGES = {
    "home": "/",
    "article": REFERENCE_URL,
    "article of blocks": BLOCK_STORY_URL,  # a wide photo, a gallery, an embed, a table…
    "section": "/world/",
    "topic": "/tag/antony-blinken/",
    "author": "/author/dana-levi/",
    "search": "/search/?q=ceasefire",
    "empty search": "/search/",
    "corrections": "/corrections/",
}

OVERFLOW = """() => {
  const root = document.documentElement;
  const clipped = [...document.querySelectorAll('button, input, select, textarea, a')]
    .filter(el => { const box = el.getBoundingClientRect();
                    return box.width > 0 && (box.right > root.clientWidth + 1 || box.left < -1); })
    .map(el => el.outerHTML.slice(0, 80));
  return {scroll: root.scrollWidth, client: root.clientWidth, clipped};
}"""


def reflows(page) -> dict:
    return page.evaluate(OVERFLOW)


@pytest.mark.parametrize("path", READER_PAGES.values(), ids=READER_PAGES.keys())
def test_the_page_reflows_at_320_css_pixels(new_context, path):
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    assert page.goto(path).status == 200
    result = reflows(page)
    assert result["scroll"] <= result["client"], result
    assert result["clipped"] == [], result


@pytest.mark.parametrize("path", READER_PAGES.values(), ids=READER_PAGES.keys())
def test_the_page_reflows_with_text_at_200_percent(new_context, path):
    # A 640 px window is 1280 px at 200% zoom; text-only zoom doubles the root font size.
    page = new_context(viewport={"width": 640, "height": 800}).new_page()
    assert page.goto(path).status == 200
    page.add_style_tag(content="html { font-size: 200% !important; }")
    result = reflows(page)
    assert result["scroll"] <= result["client"], result
    assert result["clipped"] == [], result


@pytest.mark.parametrize("path", ["/", REFERENCE_URL, "/search/?q=ceasefire"])
def test_a_reader_asking_for_dark_gets_a_dark_page_that_passes_axe(new_context, screenshots, path):
    page = new_context(color_scheme="dark").new_page()
    assert page.goto(path).status == 200
    name = {"/": "home", REFERENCE_URL: "article"}.get(path, "search")
    page.screenshot(path=screenshots / f"dark-{name}-1280.png")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    channels = [int(c) for c in background[background.index("(") + 1 : -1].split(",")[:3]]
    assert max(channels) < 80, background
    violations = serious_violations(page)
    assert not violations, describe(violations)


def test_the_search_page_has_one_search_landmark_or_names_each(page):
    page.goto("/search/?q=ceasefire")
    landmarks = page.evaluate(
        "[...document.querySelectorAll('[role=search], search')]"
        ".map(el => el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || '')"
    )
    assert len(landmarks) == 1 or (all(landmarks) and len(set(landmarks)) == len(landmarks)), (
        landmarks
    )
