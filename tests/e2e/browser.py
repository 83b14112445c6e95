"""What the browser journeys share: where things are, the demo's fixed facts, and small page helpers."""

import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect

REPO = Path(__file__).resolve().parents[2]
VAR = REPO / "var" / "e2e"
SCREENSHOTS = REPO / "var" / "screenshots"
AXE_JS = VAR / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = VAR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
DATABASE_URL = os.environ.get("E2E_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_e2e")
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]

DEMO_PASSWORD = "newsroom-demo"
REFERENCE_URL = "/world/blinken-heads-to-israel-as-ceasefire-talks-gain-momentum/"
REFERENCE_HEADLINE = "Blinken heads to Israel as ceasefire talks gain momentum"
# The demo's story with one block of each kind (newsroom/demo_blocks.py).
BLOCK_STORY_URL = "/world/how-a-ceasefire-deal-is-made/"
REFERENCE_PHOTO_ALT = "Antony Blinken speaking at a lectern in front of flags"
COMMENT_POLICY = (
    "Do not send comments that include inflammatory words, defamation and content that exceeds "
    "the limit of good taste."
)
COMMENT_SENT = (
    "The comment was sent successfully. Soon the response will be examined by our editors "
    "and if it is found to be correct it will be published on the website."
)
# The comment form refuses (as spam) posts filled faster than this; people take longer.
HUMAN_FILL_SECONDS = 3.5


def log_in(page: Page, username: str) -> Page:
    page.goto("/admin/login/?next=/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("#login-form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    return page


def choose_autocomplete(page: Page, field_id: str, text: str) -> None:
    """Pick `text` in one of the admin's select2 autocomplete widgets, as a person would."""
    page.locator(f".select2-selection:has(#select2-{field_id}-container)").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option:not(.loading-results)", has_text=text).first.click()
    expect(page.locator(f"#{field_id} option:checked")).to_contain_text(text)


def news_rail(page: Page):
    """The latest-news rail, a landmark named by its heading."""
    return page.get_by_role("complementary", name=re.compile(r"^latest", re.I))


def comment_form(page: Page):
    return page.locator("form[method=post]", has=page.locator("[name=body]"))


def serious_violations(page: Page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [v for v in results["violations"] if v["impact"] in {"serious", "critical"}]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']} — {violation['help']}")
        lines.extend(
            f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}"
            for node in violation["nodes"][:5]
        )
    return "\n".join(lines)


def image_box(page: Page, img) -> dict:
    """Rendered and natural size of an image, once it has loaded."""
    img.scroll_into_view_if_needed()
    expect(img).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    return img.evaluate(
        "img => ({width: img.getBoundingClientRect().width, height: img.getBoundingClientRect().height,"
        " naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight})"
    )
