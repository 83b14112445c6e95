import re
import time

import pytest
from playwright.sync_api import expect

from .browser import (
    COMMENT_POLICY,
    COMMENT_SENT,
    HUMAN_FILL_SECONDS,
    REFERENCE_URL,
    comment_form,
    log_in,
)

pytestmark = pytest.mark.e2e


def comment_count(page) -> int:
    heading = page.get_by_role("heading", name=re.compile(r"^Comments\b")).first
    return int(re.search(r"\d+", heading.inner_text()).group())


def wait_like_a_person(opened_at: float) -> None:
    time.sleep(max(0.0, HUMAN_FILL_SECONDS - (time.monotonic() - opened_at)))


def test_a_readers_comment_appears_once_a_moderator_approves_it(new_context):
    body = "I was at the airport when the Secretary landed; people were hopeful but tired."
    reader = new_context().new_page()
    reader.goto(REFERENCE_URL)
    opened_at = time.monotonic()
    expect(reader.get_by_text(COMMENT_POLICY)).to_be_visible()
    before = comment_count(reader)
    form = comment_form(reader)
    form.locator("[name=name]").fill("Miriam from Haifa")
    form.locator("[name=email]").fill("miriam@example.com")
    form.locator("[name=body]").fill(body)
    wait_like_a_person(opened_at)
    form.get_by_role("button", name=re.compile("send", re.I)).click()

    expect(reader).to_have_url(re.compile(re.escape(REFERENCE_URL)))
    expect(reader.get_by_text(COMMENT_SENT, exact=True)).to_be_visible()
    expect(reader.get_by_text(body)).to_have_count(0)
    assert comment_count(reader) == before

    moderator = log_in(new_context().new_page(), "moderator")
    moderator.goto("/admin/comments/comment/")
    row = moderator.locator(".queue-card", has_text=body[:60])
    expect(row).to_have_count(1)
    expect(row).to_contain_text("miriam@example.com")
    row.locator("input.action-select").check()
    actions = moderator.locator("select[name=action]")
    approve = actions.locator("option", has_text=re.compile("^Approve", re.I)).first
    actions.select_option(approve.get_attribute("value"))
    moderator.locator("button[name=index]").click()
    expect(moderator.locator(".messagelist")).to_contain_text(re.compile("approved", re.I))

    reader.reload()
    expect(reader.get_by_text(body)).to_be_visible()
    expect(reader.get_by_text("Miriam from Haifa")).to_be_visible()
    expect(reader.get_by_text("miriam@example.com")).to_have_count(0)
    assert comment_count(reader) == before + 1


def test_a_reader_can_comment_with_the_keyboard_alone(page):
    page.goto(REFERENCE_URL)
    opened_at = time.monotonic()
    form = comment_form(page)
    name = form.locator("[name=name]")
    for _ in range(300):
        page.keyboard.press("Tab")
        if name.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the comment form's name field")

    page.keyboard.type("Keyboard Reader")
    page.keyboard.press("Tab")
    expect(form.locator("[name=email]")).to_be_focused()
    page.keyboard.type("keys@example.com")
    page.keyboard.press("Tab")
    expect(form.locator("[name=body]")).to_be_focused()
    page.keyboard.type("Sent without touching the mouse.")

    submit = form.locator("[type=submit]").first
    for _ in range(5):
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        expect(focused).to_be_visible()
        if submit.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the comment form's send button")
    wait_like_a_person(opened_at)
    page.keyboard.press("Enter")

    expect(page.get_by_text(COMMENT_SENT, exact=True)).to_be_visible()
