"""The queue, round two: keeping a reported comment, every card selected at once, the same
sender behind new email addresses, and spam the checks caught counted in the statistics."""

import re

import pytest

from comments import stats
from comments.models import Ban, Comment, Decision
from tests.factories import make_article
from tests.factories_comments import csrf_client, make_comment, post_comment, seen, token_from
from tests.test_moderation_queue import QUEUE, card

pytestmark = pytest.mark.django_db


def reported_comment(article, **fields):
    comment = make_comment(article, status=Comment.Status.APPROVED, **fields)
    for ip in ("192.0.2.1", "192.0.2.2"):
        comment.report(reason="abuse", ip_address=ip)
    return comment


def test_a_moderator_keeps_a_reported_comment_and_the_decision_is_on_record(moderator):
    article = make_article()
    comment = reported_comment(article, body="Sharp, but fair.")
    client = csrf_client(moderator)
    html = client.get(f"{QUEUE}?status=reported").content.decode()
    shown = card(html, comment)
    assert f'formaction="{QUEUE}{comment.pk}/keep/"' in shown and ">Keep</button>" in shown

    response = client.post(
        f"{QUEUE}{comment.pk}/keep/",
        {
            "csrfmiddlewaretoken": token_from(html),
            "queue_url": f"{QUEUE}?status=reported",
            **seen(comment),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?status=reported"
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert comment.moderated_by == moderator
    decision = comment.decisions.get()
    assert (decision.status, decision.by, decision.note) == (
        "approved",
        moderator,
        "Kept after reports.",
    )
    # The reports stay on record but are answered: the comment leaves the reported queue.
    assert comment.reports.count() == 2
    assert not Comment.objects.reported().exists()
    assert Comment.objects.queue_counts()["reported"] == 0
    after = client.get(f"{QUEUE}?status=reported").content.decode()
    assert f'id="q{comment.pk}"' not in after
    assert f"Kept: comment by {comment.name}." in after


def test_keeping_needs_the_csrf_token(moderator):
    comment = reported_comment(make_article())
    response = csrf_client(moderator).post(f"{QUEUE}{comment.pk}/keep/", seen(comment))
    assert response.status_code == 403
    assert not comment.decisions.exists()


def test_only_a_published_comment_with_new_reports_can_be_kept(moderator_client):
    article = make_article()
    quiet = make_comment(article, status=Comment.Status.APPROVED)
    waiting = make_comment(article, status=Comment.Status.PENDING)
    waiting.report(reason="abuse", ip_address="192.0.2.3")
    html = moderator_client.get(f"{QUEUE}?status=all").content.decode()
    for comment in (quiet, waiting):
        assert "/keep/" not in card(html, comment)
        response = moderator_client.post(f"{QUEUE}{comment.pk}/keep/", seen(comment), follow=True)
        assert response.status_code == 200
        assert "Only a published comment with new reports can be kept." in response.content.decode()
        comment.refresh_from_db()
        assert not comment.decisions.exists()
    assert waiting.status == Comment.Status.PENDING  # keeping never publishes a waiting comment


def test_the_shortcut_list_names_keep_and_the_select_all_box_waits_for_the_script(
    moderator_client,
):
    make_comment(make_article(), status="pending")
    make_comment(make_article(), status="pending")
    html = moderator_client.get(QUEUE).content.decode()
    assert "<kbd>a</kbd> approve (keep, on a reported comment)" in html
    assert re.search(
        r'<p class="queue-select-all" hidden><label><input type="checkbox" id="queue-select-all">'
        r" Select all 2 comments on this page</label></p>",
        html,
    )


def test_the_same_address_under_new_email_addresses_shows_on_the_card(moderator_client):
    article = make_article()
    for n, status in enumerate(["spam", "spam", "rejected"]):
        make_comment(
            article, status=status, email=f"fresh{n}@example.net", ip_address="198.51.100.7"
        )
    latest = make_comment(
        article, status="pending", email="fresh9@example.net", ip_address="198.51.100.7"
    )
    loner = make_comment(
        article, status="pending", email="solo@example.com", ip_address="192.0.2.50"
    )
    html = moderator_client.get(QUEUE).content.decode()

    same = card(html, latest)
    assert "1 comment</a>" in same  # by email: a newcomer
    assert (
        'Same IP address:</span> <a href="?status=all&amp;ip_address=198.51.100.7">4 comments '
        "under 4 email addresses</a>: 0 approved · 1 rejected · 2 spam · 1 pending"
    ) in same
    assert "Same IP address" not in card(html, loner)

    listed = moderator_client.get(f"{QUEUE}?status=all&ip_address=198.51.100.7")
    assert listed.status_code == 200
    assert {c.email for c in listed.context["cl"].result_list} == {
        "fresh0@example.net", "fresh1@example.net", "fresh2@example.net", "fresh9@example.net",
    }  # fmt: skip


def test_spam_the_checks_stored_on_arrival_counts_in_the_statistics(client, moderator):
    article = make_article()
    spammed = make_comment(article, status="pending", email="troll@example.com")
    spammed.mark_spam(by=moderator)
    Ban.objects.create(kind="email", value="troll@example.com", created_by=moderator)
    for n in range(3):  # the same sender again, caught by the ban as each comment arrives
        post_comment(client, article, email="troll@example.com", body=f"Buy now {n}")
    assert Comment.objects.filter(status=Comment.Status.SPAM).count() == 4

    summary = stats.summary()
    assert summary["totals"]["spam"] == 4
    arrived = Decision.objects.filter(by=None).get(comment__body="Buy now 0")
    assert arrived.status == Comment.Status.SPAM and not arrived.first
    assert "Banned email address troll@example.com" in arrived.note
    rows = {row["by__username"]: row for row in summary["moderators"]}
    assert rows["moderator"]["spam"] == 1 and rows[None]["spam"] == 3
    # Time to decision measures moderators: the checks' instant decisions are not in it.
    assert rows[None]["median"] is None


def test_the_statistics_page_names_the_checks_decisions(moderator_client, client):
    Ban.objects.create(kind="ip", value="198.51.100.4")
    post_comment(client, make_article(), ip="198.51.100.4")
    html = moderator_client.get("/admin/comments/comment/stats/").content.decode()
    assert "0 rejected, 1 spam." in html
    assert (
        '<th scope="row">Nobody: the automatic checks (or a deleted account)</th><td>1</td>' in html
    )


def test_a_moderator_still_decides_on_spam_the_checks_caught(client, moderator):
    article = make_article()
    post_comment(client, article, email="ruth@example.com", started="")  # no timestamp: too fast
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    comment.approve(by=moderator, seen=comment.revision)
    assert list(comment.decisions.values_list("status", "first")) == [
        ("spam", False),
        ("approved", True),
    ]
