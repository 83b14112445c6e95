"""Stories made of blocks in a real browser: a story with one block of each kind, loaded with
load_stories, loads nothing from a third party until the reader asks for the embed; a reporter
builds a story of blocks in the admin and an editor publishes it."""

import json
import re
import uuid
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.factories import image_bytes
from tests.servers import manage

from .browser import choose_autocomplete, describe, log_in, serious_violations
from .test_html_validity import fetch, nu_check

pytestmark = pytest.mark.e2e

EXTERNAL_ID = f"e2e-blocks-{uuid.uuid4().hex[:8]}"
HEADLINE = "Water talks resume with every kind of block"


@pytest.fixture(scope="module")
def blocks_story(site_env, base_url, tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("interchange")
    for name in ("inline.jpg", "one.jpg", "two.jpg"):
        (folder / name).write_bytes(image_bytes())

    def photo(name, agency):
        return {"file": name, "caption": f"Caption {name}", "alt_text": f"Alt {name}",
                "photographer": "Dana Levi", "agency": agency, "rights_expire_on": None}  # fmt: skip

    linked = {
        "external_id": f"{EXTERNAL_ID}-linked", "section": "world", "authors": ["dana-levi"],
        "headline": "The earlier water talks", "status": "published",
        "blocks": [{"type": "text", "html": "<p>Earlier.</p>"}],
    }  # fmt: skip
    story = {
        "external_id": EXTERNAL_ID, "section": "world", "authors": ["dana-levi"],
        "headline": HEADLINE, "status": "published",
        "blocks": [
            {"type": "text", "html": "<p>The talks resumed.</p>"},
            {"type": "heading", "text": "What comes next"},
            {"type": "photo", "photo": photo("inline.jpg", "Reuters"), "size": "wide"},
            {"type": "gallery", "caption": "The day", "photos": [
                {"photo": photo("one.jpg", "AP")}, {"photo": photo("two.jpg", "AFP")}]},
            {"type": "embed", "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"},
            {"type": "quote", "text": "We are close.", "attribution": "A mediator"},
            {"type": "factbox", "title": "Mediators", "html": "<p>Qatar and Egypt.</p>"},
            {"type": "table", "caption": "Visits", "header": ["Year"], "rows": [["2025"]]},
            {"type": "story", "story": f"{EXTERNAL_ID}-linked"},
        ],
    }  # fmt: skip
    path = folder / "stories.json"
    path.write_text(json.dumps({"stories": [linked, story]}))
    manage(site_env, "load_stories", str(path), "--by", "editor")
    return "/world/water-talks-resume-with-every-kind-of-block/"


def test_nothing_leaves_for_a_third_party_until_the_reader_loads_the_embed(
    new_context, blocks_story
):
    context = new_context(bypass_csp=False)  # the reader pages' policy enforced
    page = context.new_page()
    hosts = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).hostname))
    # The player's address is asked for but never reached: the machine may have no network.
    page.route(re.compile(r"^https://www\.youtube-nocookie\.com/"), lambda route: route.abort())

    page.goto(blocks_story)
    expect(page.locator("h1")).to_have_text(HEADLINE)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # lazy images load too
    page.wait_for_load_state("networkidle")
    assert set(hosts) == {"127.0.0.1"}, hosts
    expect(page.locator(".photo--wide .credit")).to_have_text("Photo: Dana Levi / Reuters")
    expect(page.locator(".gallery .credit")).to_have_text(
        ["Photo: Dana Levi / AP", "Photo: Dana Levi / AFP"]
    )
    expect(page.locator(".story-link")).to_contain_text("The earlier water talks")
    expect(page.get_by_role("link", name="Watch the video on YouTube")).to_be_visible()

    with page.expect_request(re.compile(r"^https://www\.youtube-nocookie\.com/embed/dQw4w9WgXcQ")):
        page.get_by_role("button", name="Load from YouTube").click()
    expect(page.locator("figure.embed iframe")).to_have_count(1)
    assert "www.youtube-nocookie.com" in hosts


def test_a_story_with_one_block_of_each_kind_is_valid_html(base_url, blocks_story, tmp_path):
    errors = nu_check({"blocks": fetch(base_url + blocks_story)}, tmp_path)
    assert not errors["blocks"], errors


@pytest.mark.parametrize("width", [390, 1280])
def test_a_story_with_one_block_of_each_kind_has_no_serious_accessibility_violations(
    new_context, blocks_story, width
):
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(blocks_story)
    violations = serious_violations(page)
    assert not violations, describe(violations)
    # Nothing but the table and the gallery strip scrolls sideways, even on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_reporter_builds_a_story_of_blocks_and_an_editor_publishes_it(
    new_context, blocks_story, tmp_path
):
    headline = f"Harbour reopens {uuid.uuid4().hex[:6]}"
    reporter = log_in(new_context().new_page(), "reporter")
    reporter.goto("/admin/articles/article/add/")
    reporter.locator("#id_headline").fill(headline)
    reporter.locator("#id_headline").press("Tab")
    choose_autocomplete(reporter, "id_section", "World")
    # A new story starts with a text block, written in the rich-text editor.
    reporter.locator(".block-card--text .ProseMirror[contenteditable=true]").click()
    reporter.keyboard.type("The harbour reopened on Monday.")

    def add(kind, at):
        adder = reporter.locator(".block-adder").nth(at)
        adder.get_by_label("Kind of block to add").select_option(label=kind)
        adder.get_by_role("button", name="Add block here").click()

    add("Subheading", 1)
    reporter.locator(".block-card--heading input").fill("Ships return")
    add("Photo", 2)
    reporter.get_by_label("Find a photo").fill("Caption inline")
    reporter.locator(".block-results button", has_text="Caption inline").click()
    add("Pull quote", 3)
    reporter.get_by_label("Quote", exact=True).fill("Finally.")
    # The quote goes above the photo; the subheading goes.
    reporter.locator(".block-card--quote").get_by_role("button", name="Move up").click()
    reporter.locator(".block-card--heading").get_by_role("button", name="Remove").click()
    expect(reporter.locator(".block-card legend")).to_have_text(
        ["1. Text", "2. Pull quote", "3. Photo"]
    )
    # A photo not in the library yet: uploaded there and then, with its credit.
    add("Photo", 3)
    upload = tmp_path / "harbour.jpg"
    upload.write_bytes(image_bytes())
    new_photo = reporter.locator(".block-card--photo").nth(1)
    with reporter.expect_popup() as opened:
        new_photo.get_by_role("link", name="Upload a new photo").click()
    popup = opened.value
    popup.locator("#id_image").set_input_files(str(upload))
    popup.locator("#id_caption").fill("Ships in the harbour")
    popup.locator("#id_alt_text").fill("Cargo ships moored at the quay")
    popup.locator("#id_photographer").fill("Noa Katz")
    with popup.expect_event("close"):  # the popup hands the photo back and closes itself
        popup.locator("[name=_save]").click()
    expect(new_photo.locator(".block-chosen")).to_contain_text("just uploaded")
    reporter.locator("#id_status").select_option("review")
    reporter.locator("[name=_continue]").first.click()
    expect(reporter.locator(".messagelist")).to_contain_text("was added successfully")
    change_url = reporter.url

    editor = log_in(new_context().new_page(), "editor")
    editor.goto(change_url)
    expect(editor.locator(".block-card legend")).to_have_text(
        ["1. Text", "2. Pull quote", "3. Photo", "4. Photo"]
    )
    choose_autocomplete(editor, "id_bylines-0-author", "Dana Levi")
    editor.locator("#id_status").select_option("published")
    editor.locator("[name=_save]").first.click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")

    reader = new_context().new_page()
    reader.goto("/world/")
    reader.get_by_role("link", name=headline).first.click()
    expect(reader.locator(".article-body")).to_contain_text("The harbour reopened on Monday.")
    expect(reader.locator(".pull-quote")).to_contain_text("Finally.")
    expect(reader.locator(".article-body .credit")).to_have_text(
        ["Photo: Dana Levi / Reuters", "Photo: Noa Katz"]
    )
