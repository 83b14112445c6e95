"""The moderation queue, round two, in a real browser at 1280 and 390 px: Keep on a reported
comment (by click and by the a key), the box that selects every card, and on a phone the first
card's buttons on the first screen."""

import pytest
from playwright.sync_api import expect

from .browser import log_in
from .conftest import manage
from .test_moderation_journey import QUEUE, card, fits, focused_card_text

pytestmark = pytest.mark.e2e

MAKE = """
from articles.models import Article
from comments.models import Comment
story = Article.objects.get(slug="blinken-heads-to-israel-as-ceasefire-talks-gain-momentum")
tag = "{tag}"
for text in ["click", "key"]:
    comment = Comment.objects.create(
        article=story, status="approved", name=f"Kept {{tag}} {{text}}",
        email=f"kept-{{tag}}-{{text}}@example.com", body=f"Round two {{tag}}: reported, to keep by {{text}}.",
    )
    for n in (1, 2):
        comment.report(reason="off-topic", ip_address=f"192.0.2.{{n}}")
"""
# Three waiting comments from one address, each under a new email address.
MAKE_BULK = """
from articles.models import Article
from comments.models import Comment
story = Article.objects.get(slug="blinken-heads-to-israel-as-ceasefire-talks-gain-momentum")
tag, ip = "{tag}", "{ip}"
for n in range(3):
    Comment.objects.create(
        article=story, status="pending", name=f"Bulk {{tag}} {{n}}",
        email=f"bulk-{{tag}}-{{n}}@example.net", ip_address=ip,
        body=f"Bulk {{tag}} {{n}}: the same sender with a new address.",
    )
"""


def viewport(width):
    return {"width": width, "height": 844 if width < 600 else 900}


@pytest.mark.parametrize("width", [1280, 390])
def test_a_moderator_keeps_reported_comments_by_click_and_by_key(new_context, site_env, width):
    tag = f"k{width}"
    manage(site_env, "shell", "-c", MAKE.format(tag=tag))
    page = log_in(new_context(viewport=viewport(width)).new_page(), "moderator")
    page.goto(f"{QUEUE}?status=reported")
    fits(page)

    clicked = card(page, f"Round two {tag}: reported, to keep by click")
    expect(clicked.get_by_role("button", name="Approve")).to_have_count(0)
    clicked.get_by_role("button", name="Keep").click()
    expect(page.locator(".messagelist")).to_contain_text(f"Kept: comment by Kept {tag} click")
    expect(card(page, f"Round two {tag}: reported, to keep by click")).to_have_count(0)

    for _ in range(50):
        page.keyboard.press("j")
        if f"Round two {tag}: reported, to keep by key" in focused_card_text(page):
            break
    else:
        pytest.fail("j never reached the comment")
    page.keyboard.press("a")
    expect(page.locator(".messagelist")).to_contain_text(f"Kept: comment by Kept {tag} key")
    expect(card(page, f"Round two {tag}: reported, to keep by key")).to_have_count(0)

    page.goto(f"{QUEUE}?status=all&q=Round+two+{tag}")
    for text in ("click", "key"):
        expect(card(page, f"to keep by {text}")).to_contain_text("Kept after reports.")


@pytest.mark.parametrize("width", [1280, 390])
def test_select_all_ticks_every_card_for_a_bulk_action(new_context, site_env, width):
    tag = f"b{width}"
    manage(site_env, "shell", "-c", MAKE_BULK.format(tag=tag, ip=f"198.51.100.{width % 251}"))
    page = log_in(new_context(viewport=viewport(width)).new_page(), "moderator")
    page.goto(f"{QUEUE}?status=pending&q=Bulk+{tag}")
    cards = page.locator(".queue-card")
    expect(cards).to_have_count(3)
    # The same sender behind three addresses: each card says so.
    expect(cards.first).to_contain_text("Same IP address: 3 comments under 3 email addresses")

    select_all = page.get_by_label("Select all 3 comments on this page")
    select_all.check()
    for box in page.locator(".queue-card .action-select").all():
        expect(box).to_be_checked()
    page.locator(".queue-card .action-select").first.uncheck()
    assert select_all.evaluate("box => box.indeterminate")
    select_all.check()

    page.locator("select[name=action]").select_option("mark_spam")
    page.locator("#changelist .actions button[name=index]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("Marked as spam: 3 comments.")
    expect(page.locator(".queue-card")).to_have_count(0)


def test_on_a_phone_the_first_cards_buttons_are_on_the_first_screen(new_context, screenshots):
    page = log_in(new_context(viewport={"width": 390, "height": 844}).new_page(), "moderator")
    page.goto(QUEUE)
    first = page.locator(".queue-card").first
    expect(first).to_be_visible()
    page.screenshot(path=screenshots / "moderation-queue-phone-first-screen.png")
    bottom = first.locator(".queue-decide").evaluate(
        "group => group.getBoundingClientRect().bottom"
    )
    assert bottom <= 844, f"the first card's buttons end {bottom} px down"
    for name in ("Approve", "Reject", "Spam"):
        button = first.get_by_role("button", name=name)
        assert button.evaluate("b => b.getBoundingClientRect().bottom") <= 844, name
    fits(page)
    # The folded tools are still there: the bulk actions come back once a card is ticked.
    expect(page.locator("#changelist .actions")).to_be_hidden()
    first.locator(".action-select").check()
    expect(page.locator("#changelist .actions")).to_be_visible()
