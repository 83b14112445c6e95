import re
import uuid

import pytest
from playwright.sync_api import expect

from .browser import choose_autocomplete, log_in

pytestmark = pytest.mark.e2e


def test_a_reporter_writes_a_draft_cannot_publish_it_and_readers_get_404(new_context):
    headline = f"Council budget talks stall {uuid.uuid4().hex[:8]}"
    reporter = log_in(new_context().new_page(), "reporter")

    reporter.goto("/admin/articles/article/add/")
    reporter.locator("#id_kicker").fill("City Hall")
    reporter.locator("#id_headline").fill(headline)
    reporter.locator("#id_headline").press("Tab")
    choose_autocomplete(reporter, "id_section", "Politics")
    reporter.locator(".ProseMirror[contenteditable=true]").click()
    reporter.keyboard.type("The council could not agree on next year's budget.")
    expect(reporter.locator("#id_status")).to_have_value("draft")
    reporter.locator("[name=_continue]").first.click()
    expect(reporter.locator(".messagelist")).to_contain_text("was added successfully")
    change_url = reporter.url
    slug = reporter.locator("#id_slug").input_value()
    assert slug.startswith("council-budget-talks-stall-")

    reporter.locator("#id_status").select_option("published")
    reporter.locator("[name=_continue]").first.click()
    expect(reporter.locator(".errornote, .errorlist").first).to_be_visible()
    expect(reporter.get_by_text("You do not have permission to publish")).to_be_visible()
    # The refusal tells the reporter to send the story to review instead; they can, right there.
    reporter.locator("#id_status").select_option("review")
    reporter.locator("[name=_continue]").first.click()
    expect(reporter.locator(".messagelist")).to_contain_text("was changed successfully")
    reporter.goto(change_url)
    expect(reporter.locator("#id_status")).to_have_value("review")

    reporter.goto("/admin/articles/article/")
    expect(reporter.locator("#result_list")).to_contain_text(headline)
    actions = reporter.locator("select[name=action] option")
    expect(actions.filter(has_text=re.compile("send selected", re.I))).to_have_count(1)
    expect(actions.filter(has_text=re.compile("publish", re.I))).to_have_count(0)

    reader = new_context().new_page()
    response = reader.goto(f"/politics/{slug}/")
    assert response.status == 404
    response = reader.goto(f"/search/?q={headline.split()[-1]}")
    expect(reader.get_by_text(headline)).to_have_count(0)
