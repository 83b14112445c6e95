"""Live coverage in a real browser: an editor opens a live story's admin page and adds five
entries (one pinned, two key events) while a reader has the story open; the reader's page
offers "5 new updates" without reloading and inserts them on a click; the editor closes the
coverage and the reader's page stops asking and says so. The live page passes axe-core and the
Nu HTML Checker, open and closed."""

import json
import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.servers import manage

from .browser import describe, log_in, serious_violations
from .test_html_validity import fetch, nu_check
from .test_reflow import reflows

pytestmark = pytest.mark.e2e

HEADLINE = f"Storm hits the coast {uuid.uuid4().hex[:6]}"
ENTRIES = [
    # (headline, text, pinned, key event)
    ("Evacuation ordered", "Residents of the seafront must leave by noon.", True, False),
    ("Dam breached", "The northern dam gave way at 10:40.", False, True),
    ("", "Rain is expected to ease in the afternoon.", False, False),
    ("Bridge closed", "Police closed the coast bridge in both directions.", False, True),
    ("Shelters open", "Four schools are open as shelters tonight.", False, False),
]


@pytest.fixture(scope="module")
def live_story(site_env, base_url, tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("live")
    story = {
        "external_id": f"e2e-{uuid.uuid4().hex[:8]}", "kind": "live", "section": "world",
        "authors": ["dana-levi"], "headline": HEADLINE, "status": "published",
        "blocks": [{"type": "text", "html": "<p>What we know so far.</p>"}],
    }  # fmt: skip
    path = folder / "stories.json"
    path.write_text(json.dumps({"stories": [story]}))
    manage(site_env, "load_stories", str(path), "--by", "editor")
    slug = re.sub(r"[^a-z0-9]+", "-", HEADLINE.lower()).strip("-")
    return f"/world/{slug}/"


def test_an_editor_adds_entries_a_reader_sees_them_arrive_and_the_coverage_closes(
    new_context, live_story, base_url, tmp_path
):
    reader = new_context().new_page()
    reader.goto(live_story)
    expect(reader.locator(".live-heading")).to_contain_text("Latest updates")
    expect(reader.locator(".live-empty")).to_have_text("No updates yet.")
    reader.evaluate("window.notReloaded = true")

    editor = log_in(new_context().new_page(), "editor")
    story_id = re.search(r'action="/comments/post/(\d+)/"', reader.content()).group(1)
    editor.goto(f"/admin/articles/article/{story_id}/change/")
    panel = editor.locator("#live-entries")
    expect(panel.get_by_role("heading", level=2)).to_contain_text("Live coverage: 0 entries")
    for headline, text, pinned, key_event in ENTRIES:
        panel.get_by_label("Headline").fill(headline)
        panel.get_by_label("Text").fill(text)
        if pinned:
            panel.get_by_label("Pinned").check()
        if key_event:
            panel.get_by_label("Key event").check()
        panel.get_by_role("button", name="Add entry").click()
        expect(editor.locator(".messagelist")).to_contain_text("added")
    expect(panel.locator(".live-admin-entry")).to_have_count(5)
    # Newest first on the desk.
    expect(panel.locator(".live-admin-entry").first).to_contain_text("Shelters open")

    # The reader's page, never reloaded, offers them and inserts them on a click.
    button = reader.get_by_role("button", name="5 new updates")
    expect(button).to_be_visible(timeout=15_000)
    expect(reader.locator(".live-entry")).to_have_count(0)
    button.click()
    entries = reader.locator(".live-entries .live-entry")
    expect(entries).to_have_count(5)
    expect(entries.first).to_contain_text("Shelters open")
    expect(entries.first).to_be_focused()
    expect(reader.locator(".live-entry--pinned")).to_contain_text("Evacuation ordered")
    expect(reader.locator(".live-entry--key")).to_have_count(2)
    assert reader.evaluate("window.notReloaded") is True
    violations = serious_violations(reader)
    assert violations == [], describe(violations)

    # A fresh load, the reader pages' policy enforced: pinned first, key events listed with
    # links to their entries, and the script asking the poll address within the policy.
    fresh = new_context(bypass_csp=False).new_page()
    refused = []
    fresh.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else 0)
    with fresh.expect_request(re.compile(r"/live\.json$")):
        fresh.goto(live_story)
    assert refused == []
    expect(fresh.locator(".live-pinned .live-entry")).to_contain_text("Evacuation ordered")
    key_links = fresh.locator(".live-key-events a")
    expect(key_links).to_have_count(2)
    key_links.first.click()
    expect(fresh).to_have_url(re.compile(r"#entry-\d+$"))
    open_html = fetch(base_url + live_story)

    # The editor closes the coverage: the reader's page stops asking and says so.
    editor.goto(f"/admin/articles/article/{story_id}/change/")
    editor.get_by_role("button", name="Close the live coverage").click()
    expect(editor.locator(".messagelist")).to_contain_text("Live coverage closed.")
    expect(reader.locator(".live-heading")).to_have_text("Coverage has ended", timeout=15_000)
    expect(reader.locator(".live[data-poll]")).to_have_count(0)
    asked = []
    reader.on("request", lambda request: asked.append(request.url))
    reader.wait_for_timeout(5_000)  # more than two polling intervals
    assert not [url for url in asked if url.endswith("live.json")]

    closed_html = fetch(base_url + live_story)
    assert "Coverage has ended" in closed_html and "live.js" not in closed_html
    errors = nu_check({"live page (open)": open_html, "live page (closed)": closed_html}, tmp_path)
    assert errors == {"live page (open)": [], "live page (closed)": []}


def test_the_live_page_reflows_at_320_pixels_and_passes_axe_in_the_dark(new_context, live_story):
    # After the journey above (or with no entries, if run alone): the entries' flags, times and
    # share links wrap at 320 CSS px; the dark scheme keeps them legible.
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    assert page.goto(live_story).status == 200
    result = reflows(page)
    assert result["scroll"] <= result["client"], result
    assert result["clipped"] == [], result
    dark = new_context(color_scheme="dark").new_page()
    assert dark.goto(live_story).status == 200
    violations = serious_violations(dark)
    assert violations == [], describe(violations)
