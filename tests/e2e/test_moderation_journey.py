"""A moderator works the queue in a real browser, on a laptop and on a phone."""

import re

import pytest
from playwright.sync_api import Page, expect

from .browser import describe, log_in, serious_violations
from .conftest import manage

pytestmark = pytest.mark.e2e

QUEUE = "/admin/comments/comment/"

# Four waiting comments on the reference story from one commenter, one of them a reply.
MAKE_COMMENTS = """
from comments.models import Comment
from articles.models import Article
story = Article.objects.get(slug="blinken-heads-to-israel-as-ceasefire-talks-gain-momentum")
parent = Comment.objects.filter(article=story, status="approved", parent=None).first()
tag = "{tag}"
for number, text in enumerate(["keyboard", "click", "reject", "keyreject"]):
    Comment.objects.create(
        article=story, status="pending", name=f"Journey {{tag}} {{text}}",
        email=f"journey-{{tag}}@example.com",
        parent=parent if text == "reject" else None,
        body=f"Journey {{tag}}: a comment to {{text}}, long enough to wrap on a narrow screen "
        "and to show that nothing in a card pushes the page sideways: " + "words " * 30,
    )
"""


def fits(page: Page) -> None:
    sizes = page.evaluate(
        "({scroll: document.documentElement.scrollWidth,"
        " client: document.documentElement.clientWidth})"
    )
    assert sizes["scroll"] <= sizes["client"], f"sideways scrolling: {sizes}"


def pending_count(page: Page) -> int:
    tab = page.locator('.queue-tabs a[href="?status=pending"] .queue-count')
    return int(tab.inner_text())


def card(page: Page, text: str):
    return page.locator(".queue-card", has_text=text)


def focused_card_text(page: Page) -> str:
    return page.evaluate(
        "document.activeElement && document.activeElement.closest('.queue-card')"
        " ? document.activeElement.closest('.queue-card').innerText : ''"
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_a_moderator_works_the_queue_with_keyboard_and_pointer(
    new_context, site_env, screenshots, width
):
    tag = f"w{width}"
    manage(site_env, "shell", "-c", MAKE_COMMENTS.format(tag=tag))
    context = new_context(viewport={"width": width, "height": 844 if width < 600 else 900})
    page = log_in(context.new_page(), "moderator")
    expect(page.locator(".pending-comments")).to_contain_text("waiting for moderation")

    page.goto(QUEUE)
    fits(page)
    violations = serious_violations(page)
    assert not violations, describe(violations)
    page.screenshot(path=screenshots / f"moderation-queue-{width}.png", full_page=True)
    expect(page.get_by_text("Keyboard shortcuts")).to_be_visible()
    keyboard_card = card(page, f"Journey {tag}: a comment to keyboard")
    expect(keyboard_card).to_contain_text(f"journey-{tag}@example.com")
    reply_card = card(page, f"Journey {tag}: a comment to reject")
    expect(reply_card).to_contain_text("In reply to")
    expect(reply_card).to_contain_text("4 comments")  # the commenter's history
    before = pending_count(page)

    # Keyboard alone: j until the comment is focused, then a.
    for _ in range(100):
        page.keyboard.press("j")
        if f"Journey {tag}: a comment to keyboard" in focused_card_text(page):
            break
    else:
        pytest.fail("j never reached the comment")
    page.keyboard.press("a")
    expect(page.locator(".messagelist")).to_contain_text(
        f"Approved: comment by Journey {tag} keyboard"
    )
    assert pending_count(page) == before - 1
    # The moderator lands on the next comment, focused.
    assert f"Journey {tag}: a comment to click" in focused_card_text(page)
    expect(card(page, f"Journey {tag}: a comment to keyboard")).to_have_count(0)
    fits(page)

    # A click.
    card(page, f"Journey {tag}: a comment to click").get_by_role("button", name="Approve").click()
    expect(page.locator(".messagelist")).to_contain_text(
        f"Approved: comment by Journey {tag} click"
    )
    assert pending_count(page) == before - 2

    # Reject with a reason.
    reply_card = card(page, f"Journey {tag}: a comment to reject")
    reply_card.get_by_label("Reason").select_option(label="Off-topic")
    reply_card.get_by_role("button", name="Reject").click()
    expect(page.locator(".messagelist")).to_contain_text(
        f"Rejected: comment by Journey {tag} reject"
    )
    assert pending_count(page) == before - 3

    # Reject with a reason from the keyboard: r opens the reasons, arrows choose, Enter rejects.
    for _ in range(100):
        page.keyboard.press("j")
        if f"Journey {tag}: a comment to keyreject" in focused_card_text(page):
            break
    else:
        pytest.fail("j never reached the comment")
    page.keyboard.press("r")
    page.keyboard.press("ArrowDown")  # Abusive
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text(
        f"Rejected: comment by Journey {tag} keyreject"
    )
    assert pending_count(page) == before - 4

    page.goto(f"{QUEUE}?status=rejected")
    rejected = card(page, f"Journey {tag}: a comment to reject")
    expect(rejected).to_contain_text(re.compile(r"Rejected by moderator, .* — Off-topic"))
    expect(card(page, f"Journey {tag}: a comment to keyreject")).to_contain_text("— Abusive")
    fits(page)

    page.goto("/admin/")
    expect(page.locator(".pending-comments")).to_contain_text(f"{before - 4} comment")
    fits(page)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_statistics_page_fits_and_draws_its_charts(new_context, screenshots, width):
    context = new_context(viewport={"width": width, "height": 900})
    page = log_in(context.new_page(), "moderator")
    page.goto(f"{QUEUE}stats/")
    expect(page.locator("svg.stats-chart")).to_have_count(2)
    page.screenshot(path=screenshots / f"moderation-stats-{width}.png", full_page=True)
    fits(page)
    violations = serious_violations(page)
    assert not violations, describe(violations)
