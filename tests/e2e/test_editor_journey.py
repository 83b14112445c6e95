import re

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from .browser import choose_autocomplete, image_box, log_in, news_rail

pytestmark = pytest.mark.e2e

HEADLINE = "Desalination tunnel opens under the Negev"
CAPTION = "The tunnel's northern portal"
ALT_TEXT = "A concrete tunnel mouth lit by work lamps"
CREDIT = "Photo: Ruth Ben-Ami / Newsroom Wire"
TAG = "Water Security"


def jpeg(path, width=1200, height=800):
    image = Image.new("RGB", (width, height), (40, 90, 140))
    draw = ImageDraw.Draw(image)
    draw.rectangle([width // 4, height // 3, width * 3 // 4, height], fill=(90, 90, 90))
    draw.ellipse([width // 3, height // 2, width * 2 // 3, height * 5 // 4], fill=(10, 10, 10))
    image.save(path, "JPEG", quality=85)
    return path


def upload_photo(page, image_path):
    page.goto("/admin/articles/photo/add/")
    page.locator("#id_image").set_input_files(image_path)
    page.locator("#id_caption").fill(CAPTION)
    page.locator("#id_alt_text").fill(ALT_TEXT)
    page.locator("#id_photographer").fill("Ruth Ben-Ami")
    page.locator("#id_agency").fill("Newsroom Wire")
    page.locator("[name=_save]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")


def write_body(page):
    """A heading, a bold word and a link, typed into the rich text editor as a writer would."""
    editor = page.locator(".ProseMirror[contenteditable=true]")
    editor.click()
    keyboard = page.keyboard
    keyboard.type("## Why the tunnel matters")
    keyboard.press("Enter")
    keyboard.type("Engineers called the opening ")
    keyboard.press("Control+b")
    keyboard.type("historic")
    keyboard.press("Control+b")
    keyboard.type(" for the region's water supply. Read the full report")
    for _ in "full report":
        keyboard.press("Shift+ArrowLeft")
    # ProseMirror learns of a selection made with the keyboard from the browser's (asynchronous)
    # selectionchange event; a person is never fast enough to press Ctrl+K before it arrives.
    page.wait_for_function(
        "el => { const s = el.editor.state.selection;"
        " return el.editor.state.doc.textBetween(s.from, s.to) === 'full report' }",
        arg=editor.element_handle(),
    )
    keyboard.press("Control+k")
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("URL").fill("https://example.org/tunnel-report")
    dialog.get_by_role("button", name="Update").click()
    expect(editor.locator("h2")).to_have_text("Why the tunnel matters")
    expect(editor.locator("strong")).to_have_text("historic")
    expect(editor.locator("a[href='https://example.org/tunnel-report']")).to_have_text(
        "full report"
    )


def add_tag(page, name):
    search = page.locator("#id_tags + .select2 .select2-search__field")
    search.click()
    search.fill(name)
    page.locator(".select2-results__option", has_text=name).first.wait_for()
    search.press("Enter")
    expect(page.locator("#id_tags + .select2 .select2-selection__choice")).to_contain_text([name])


def test_an_editor_publishes_a_photo_story_that_readers_find(new_context, tmp_path):
    editor = log_in(new_context().new_page(), "editor")
    upload_photo(editor, jpeg(tmp_path / "tunnel.jpg"))

    editor.goto("/admin/articles/article/add/")
    editor.locator("#id_kicker").fill("Infrastructure")
    editor.locator("#id_headline").fill(HEADLINE)
    editor.locator("#id_subheadline").fill("A decade of digging ends with the first water flowing.")
    choose_autocomplete(editor, "id_section", "Israel")
    write_body(editor)
    choose_autocomplete(editor, "id_lead_photo", CAPTION)
    editor.locator("#id_contributor_note").fill("Ynet contributed to this report.")
    add_tag(editor, TAG)
    choose_autocomplete(editor, "id_bylines-0-author", "Noa Katz")
    editor.locator("#id_status").select_option("published")
    editor.locator("[name=_save]").first.click()
    expect(editor.locator(".messagelist")).to_contain_text("was added successfully")
    expect(editor.locator("#result_list tr", has_text=HEADLINE)).to_contain_text("Published")

    reader = new_context().new_page()
    reader.goto("/")
    in_rail = news_rail(reader).get_by_role("listitem").filter(has_text=HEADLINE)
    expect(in_rail).to_contain_text("Infrastructure")
    expect(in_rail).to_contain_text("Noa Katz")
    in_rail.get_by_role("link", name=HEADLINE).click()
    expect(reader).to_have_url(re.compile(r"/israel/desalination-tunnel-opens-under-the-negev/$"))
    expect(reader.get_by_role("heading", name=HEADLINE, level=1)).to_be_visible()

    photo = image_box(reader, reader.get_by_alt_text(ALT_TEXT))
    assert photo["naturalWidth"] > 0
    expect(reader.get_by_text(CREDIT)).to_be_visible()
    expect(reader.get_by_role("heading", name="Why the tunnel matters")).to_be_visible()
    expect(reader.locator("main strong", has_text="historic")).to_be_visible()
    expect(reader.get_by_role("link", name="full report")).to_have_attribute(
        "href", "https://example.org/tunnel-report"
    )
    expect(reader.get_by_text("Noa Katz").first).to_be_visible()

    reader.get_by_role("link", name=TAG).first.click()
    expect(reader).to_have_url(re.compile(r"/tag/water-security/$"))
    expect(reader.get_by_role("link", name=HEADLINE).first).to_be_visible()

    reader.goto("/search/?q=desalination")
    expect(reader.get_by_role("link", name=HEADLINE).first).to_be_visible()
