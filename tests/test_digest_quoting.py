"""What readers write reaches the moderators' digest only as quoted lines: a comment cannot
forge a line of the mail, such as a second "The queue:" link pointing elsewhere."""

import pytest
from django.core import mail
from django.core.management import call_command

from tests.factories import make_article
from tests.factories_comments import make_comment, post_comment

pytestmark = pytest.mark.django_db

QUEUE_LINE = "The queue: https://news.example/admin/comments/comment/"
FORGED = "The queue: https://evil.example/admin/comments/comment/"


@pytest.fixture
def notify(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.COMMENTS_NOTIFY_EMAILS = ["desk@example.com"]


def digest_lines() -> list[str]:
    assert len(mail.outbox) == 1
    # splitlines() breaks wherever any mail client might: CR, LF, U+2028, form feed …
    return mail.outbox[0].body.splitlines()


def test_a_comment_posted_with_a_forged_queue_link_appears_only_as_quoted_lines(client, notify):
    post_comment(client, make_article(), body=f"Good piece.\r\n\r\n{FORGED}\r\nThanks, moderators!")

    lines = digest_lines()

    assert "> Good piece." in lines
    assert f"> {FORGED}" in lines
    assert "> Thanks, moderators!" in lines
    assert [line for line in lines if "evil.example" in line] == [f"> {FORGED}"]


@pytest.mark.parametrize("line_break", ["\n", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\x0c"])
def test_every_kind_of_line_break_in_a_comment_stays_inside_the_quote(notify, line_break):
    make_comment(make_article(), status="pending", body=f"Nice.{line_break}{line_break}{FORGED}")

    call_command("notify_moderators", base_url="https://news.example")

    lines = digest_lines()
    assert [line for line in lines if line.startswith("The queue:")] == [QUEUE_LINE]
    assert [line for line in lines if "evil.example" in line] == [f"> {FORGED}"]


def test_a_name_stored_with_a_line_break_stays_on_the_comment_line(notify):
    # Names are refused with line breaks when posted; one stored before that rule still
    # must not break the line it sits in.
    make_comment(make_article(headline="Talks resume"), status="pending", name=f"Eve\n{FORGED}")

    call_command("notify_moderators", base_url="https://news.example")

    lines = digest_lines()
    assert [line for line in lines if line.startswith("The queue:")] == [QUEUE_LINE]
    (forged,) = [line for line in lines if "evil.example" in line]
    assert forged.startswith(f'- Eve {FORGED} on "Talks resume" (')


def test_the_digest_still_shows_each_comment_shortened_to_160_characters(notify):
    make_comment(make_article(), status="pending", body="word " * 100)

    call_command("notify_moderators", base_url="https://news.example")

    quoted = [line for line in digest_lines() if line.startswith(">")]
    assert len(quoted) == 1
    assert quoted[0].startswith("> word word") and quoted[0].endswith("…")
    assert len(quoted[0]) == len("> ") + 160
