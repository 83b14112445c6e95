import pytest
from playwright.sync_api import expect

from .browser import BLOCK_STORY_URL, REFERENCE_PHOTO_ALT, REFERENCE_URL, image_box

pytestmark = pytest.mark.e2e

PAGES = {"home": "/", "article": REFERENCE_URL, "article-of-blocks": BLOCK_STORY_URL}


def load_every_image(page) -> None:
    """Scroll through the page so lazy images load, as they would for a reader, then go back up."""
    height = page.evaluate("document.documentElement.scrollHeight")
    step = page.viewport_size["height"]
    for y in range(0, height + step, step):
        page.evaluate("y => window.scrollTo(0, y)", y)
    # And to each photo in what scrolls sideways (a gallery's strip), where lazy ones wait.
    for image in page.locator("img").all():
        image.scroll_into_view_if_needed()
    page.wait_for_function("Array.from(document.images).every(img => img.complete)")
    page.evaluate("window.scrollTo(0, 0)")


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", PAGES.keys())
def test_the_page_fits_the_screen(new_context, screenshots, name, width):
    page = new_context(viewport={"width": width, "height": 844 if width < 600 else 900}).new_page()
    response = page.goto(PAGES[name])
    assert response.status == 200
    load_every_image(page)
    page.screenshot(path=screenshots / f"{name}-{width}.png", full_page=True)

    overflow = page.evaluate(
        "({scroll: document.documentElement.scrollWidth,"
        " client: document.documentElement.clientWidth})"
    )
    assert overflow["scroll"] <= overflow["client"], (
        f"horizontal scrolling at {width}px: {overflow}"
    )


@pytest.mark.parametrize("width", [390, 1280])
def test_the_lead_photo_keeps_its_aspect_ratio(new_context, width):
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(REFERENCE_URL)
    photo = page.get_by_alt_text(REFERENCE_PHOTO_ALT)
    expect(photo).to_have_count(1)
    box = image_box(page, photo)
    rendered = box["width"] / box["height"]
    natural = box["naturalWidth"] / box["naturalHeight"]
    assert rendered == pytest.approx(natural, rel=0.02), box
    assert box["width"] <= width
