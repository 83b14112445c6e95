"""The moderation queue as cards: what each shows, in-place decisions, reasons, queues and counts."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from comments.models import Comment, Decision
from tests.conftest import PASSWORD
from tests.factories import make_article
from tests.factories_comments import csrf_client, make_comment, seen, token_from

QUEUE = "/admin/comments/comment/"

pytestmark = pytest.mark.django_db


def card(html: str, comment) -> str:
    match = re.search(
        rf'<li class="queue-card[^"]*" id="q{comment.pk}".*?</li>\s*(?=<li class="queue-card|</ol>)',
        html,
        re.S,
    )
    assert match, f"no card for comment {comment.pk}"
    return match.group()


def test_a_reply_shows_the_comment_it_answers_and_the_story_linked(moderator_client):
    article = make_article(headline="Talks resume in Cairo")
    parent = make_comment(article, name="Dana", body="The mediators deserve credit.")
    reply = make_comment(article, status="pending", parent=parent, body="Credit for what, exactly?")
    html = card(moderator_client.get(QUEUE).content.decode(), reply)
    assert "In reply to Dana" in html
    assert "The mediators deserve credit." in html
    assert "Credit for what, exactly?" in html
    assert f'<a href="{article.get_absolute_url()}">Talks resume in Cairo</a>' in html
    assert f"/admin/comments/comment/{reply.pk}/thread/" in html


def test_a_repeat_commenter_shows_their_history_by_email(moderator_client):
    article = make_article()
    first_seen = timezone.now() - timedelta(days=40)
    email = "repeat@example.com"
    make_comment(article, email=email, status="approved", created_at=first_seen)
    make_comment(article, email=email, status="approved")
    make_comment(article, email=email, status="rejected")
    make_comment(article, email=email, status="spam")
    latest = make_comment(article, email=email, status="pending", body="Me again")
    newcomer = make_comment(article, email="new@example.com", status="pending")
    html = moderator_client.get(QUEUE).content.decode()
    repeat = card(html, latest)
    assert "5 comments" in repeat
    assert "2 approved · 1 rejected · 1 spam · 1 pending" in repeat
    assert f"first seen {timezone.localtime(first_seen):%-d %b %Y}" in repeat
    assert "1 comment</a>: 0 approved · 0 rejected · 0 spam · 1 pending" in card(html, newcomer)


def test_banned_words_are_highlighted_in_the_card(moderator_client):
    comment = make_comment(
        make_article(), status="pending", body="What an <idiot>", flags={"banned_words": ["idiot"]}
    )
    html = card(moderator_client.get(QUEUE).content.decode(), comment)
    assert "What an &lt;<mark>idiot</mark>&gt;" in html


def test_the_queue_page_costs_the_same_queries_for_a_full_page(
    moderator_client, django_assert_max_num_queries
):
    article = make_article()
    for n in range(40):
        parent = make_comment(article, email=f"p{n % 7}@example.com")
        comment = make_comment(
            article, status="pending", parent=parent, email=f"p{n % 7}@example.com"
        )
        comment.report(reason="abuse", ip_address=f"192.0.2.{n + 1}")
    # Expect 16: session, user, permissions (2), the tabs' counts (waiting, reported, all),
    # the story filter's choices, the page's count, the page (with story and parent), commenter
    # history by email and by IP address, reports, decisions, and the date hierarchy (range, days).
    with django_assert_max_num_queries(16):
        response = moderator_client.get(QUEUE)
    assert response.content.decode().count('class="queue-card') == 40


def test_a_decision_returns_to_the_same_queue_and_filters_at_the_next_comment(moderator):
    article = make_article()
    first, second, third = (make_comment(article, status="pending") for _ in range(3))
    client = csrf_client(moderator)
    page = f"{QUEUE}?status=pending&article__id__exact={article.pk}"
    html = client.get(page).content.decode()
    assert f'name="queue_url" value="{page.replace("&", "&amp;")}"' in html
    response = client.post(
        f"{QUEUE}{second.pk}/approve/",
        {
            "csrfmiddlewaretoken": token_from(html),
            "queue_url": page,
            "then": str(third.pk),
            **seen(second),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{page}#q{third.pk}"
    second.refresh_from_db()
    assert second.status == "approved"
    after = client.get(page).content.decode()
    assert f'id="q{second.pk}"' not in after
    assert f'id="q{first.pk}"' in after and f'id="q{third.pk}"' in after


def test_each_card_names_the_next_comment_to_land_on(moderator_client):
    article = make_article()
    first, second = make_comment(article, status="pending"), make_comment(article, status="pending")
    html = moderator_client.get(QUEUE).content.decode()
    assert f'name="then" value="{second.pk}"' in card(html, first)
    assert f'name="then" value="{first.pk}"' in card(html, second)  # the last goes back one


def test_a_decision_refuses_a_queue_url_on_another_site(moderator_client):
    comment = make_comment(make_article(), status="pending")
    response = moderator_client.post(
        f"{QUEUE}{comment.pk}/spam/", {"queue_url": "https://evil.example/admin/", **seen(comment)}
    )
    assert response["Location"] == QUEUE


def test_rejecting_stores_the_reason_and_note_and_shows_them_in_the_history(
    moderator_client, moderator
):
    comment = make_comment(make_article(), status="pending", body="Call Jo on 555 0100")
    response = moderator_client.post(
        f"{QUEUE}{comment.pk}/reject/",
        {
            f"reason-{comment.pk}": "personal",
            f"note-{comment.pk}": "phone number",
            **seen(comment),
        },
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == "rejected"
    decision = comment.decisions.get()
    assert (decision.status, decision.reason, decision.note, decision.by) == (
        "rejected",
        "personal",
        "phone number",
        moderator,
    )
    assert decision.first and decision.waited >= timedelta(0)
    html = card(moderator_client.get(f"{QUEUE}?status=rejected").content.decode(), comment)
    assert "Rejected by moderator" in html
    assert "Personal information: phone number" in html
    change = moderator_client.get(f"{QUEUE}{comment.pk}/change/").content.decode()
    assert "Personal information: phone number" in change


def test_rejecting_without_a_reason_or_with_other_and_no_note_is_refused(moderator_client):
    comment = make_comment(make_article(), status="pending")
    url = f"{QUEUE}{comment.pk}/reject/"
    response = moderator_client.post(url, seen(comment), follow=True)
    assert "Choose a reason for rejecting the comment." in response.content.decode()
    other = {f"reason-{comment.pk}": "other", **seen(comment)}
    response = moderator_client.post(url, other, follow=True)
    assert "Say why in a note" in response.content.decode()
    made_up = {f"reason-{comment.pk}": "made-up", **seen(comment)}
    response = moderator_client.post(url, made_up, follow=True)
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert not comment.decisions.exists()


def test_rejecting_selected_comments_takes_the_reason_from_the_actions_bar(moderator_client):
    article = make_article()
    comments = [make_comment(article, status="pending") for _ in range(2)]
    selected = [c.pk for c in comments]
    versions = seen(*comments)
    moderator_client.post(QUEUE, {"action": "reject", "_selected_action": selected, **versions})
    assert Comment.objects.filter(status="rejected").count() == 0
    moderator_client.post(
        QUEUE,
        {"action": "reject", "_selected_action": selected, "reason": "abusive", **versions},
    )
    assert list(Decision.objects.values_list("reason", flat=True)) == ["abusive", "abusive"]


def test_the_reported_queue_holds_approved_comments_reported_since_the_last_decision(
    moderator_client, moderator
):
    article = make_article()
    once = make_comment(article, body="Reported once")
    twice = make_comment(article, body="Reported twice")
    cleared = make_comment(article, body="Reported then approved again")
    make_comment(article, body="Never reported")
    pending = make_comment(article, status="pending", body="Pending and reported")
    once.report(reason="abuse", ip_address="192.0.2.1")
    for ip in ("192.0.2.2", "192.0.2.3"):
        twice.report(reason="spam", ip_address=ip)
    pending.report(reason="abuse", ip_address="192.0.2.4")
    cleared.report(reason="abuse", ip_address="192.0.2.5")
    cleared.approve(by=moderator)  # the decision answers the report made before it

    assert [c.body for c in Comment.objects.reported()] == ["Reported twice", "Reported once"]
    response = moderator_client.get(f"{QUEUE}?status=reported")
    assert [c.body for c in response.context["cl"].result_list] == [
        "Reported twice",
        "Reported once",
    ]
    html = response.content.decode()
    assert "Reports since the last decision:</span> 2 (Spam or advertising)" in card(html, twice)
    later = timezone.now() + timedelta(seconds=1)
    cleared.reports.create(reason="abuse", ip_address="192.0.2.6", created_at=later)
    assert "Reported then approved again" in [c.body for c in Comment.objects.reported()]


def test_the_tabs_and_the_admin_home_count_each_queue(moderator_client):
    article = make_article()
    make_comment(article, status="pending")
    make_comment(article, status="pending", flags={"links": 4})
    reported = make_comment(article)
    reported.report(reason="abuse", ip_address="192.0.2.1")
    make_comment(article, status="spam", flags={"honeypot": True})
    counts = {"pending": 2, "reported": 1, "flagged": 1, "all": 4}
    assert Comment.objects.queue_counts() == counts
    html = moderator_client.get(QUEUE).content.decode()
    for key, label in [("pending", "Pending"), ("reported", "Reported"), ("flagged", "Flagged")]:
        assert re.search(
            rf'href="\?status={key}"[^>]*>{label} <span class="queue-count">{counts[key]}</span>',
            html,
        )
    assert 'href="?status=pending" aria-current="page"' in html
    flagged = moderator_client.get(f"{QUEUE}?status=flagged")
    assert [c.flags for c in flagged.context["cl"].result_list] == [{"links": 4}]
    home = moderator_client.get("/admin/").content.decode()
    assert "2 comments waiting for moderation" in home
    assert "Reported: 1" in home and "Flagged: 1" in home and "All: 4" in home


def test_the_keyboard_shortcuts_are_listed_and_the_script_is_served(moderator_client):
    make_comment(make_article(), status="pending")
    html = moderator_client.get(QUEUE).content.decode()
    assert "<kbd>j</kbd> next comment" in html and "<kbd>a</kbd> approve" in html
    assert "<kbd>r</kbd> reject" in html and "<kbd>s</kbd> spam" in html
    assert re.search(r'<script src="[^"]*comments/queue\.js"', html)
    assert 'tabindex="-1"' in html  # cards take focus from the shortcuts and the anchor


def test_the_thread_in_context_shows_the_whole_thread_with_pending_marked(
    moderator_client, django_assert_max_num_queries
):
    article = make_article()
    top = make_comment(article, name="Opening", body="The first word")
    make_comment(article, parent=top, name="Approved reply", body="An approved answer")
    waiting = make_comment(
        article, parent=top, status="pending", name="Waiting reply", body="A pending answer"
    )
    make_comment(article, parent=top, status="spam", body="Buy pills")
    make_comment(article, name="Elsewhere", body="Another thread entirely")
    # Expect 6: session, user, permissions (2), the comment with its story and parent, the replies.
    with django_assert_max_num_queries(6):
        response = moderator_client.get(f"{QUEUE}{waiting.pk}/thread/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("The first word") < html.index("An approved answer")
    assert html.index("An approved answer") < html.index("A pending answer")
    assert "Pending: not shown to readers yet" in html
    assert "thread-current" in html
    assert "Buy pills" not in html and "Another thread entirely" not in html


def test_editors_see_the_queue_and_close_a_story_but_cannot_decide(editor):
    article = make_article()
    comment = make_comment(article, status="pending")
    client = csrf_client(editor)
    html = client.get(QUEUE).content.decode()
    assert 'class="queue-card' in html
    assert "queue-approve" not in html
    assert "Close comments on this story" in html
    token = token_from(html)
    assert (
        client.post(
            f"{QUEUE}{comment.pk}/approve/", {"csrfmiddlewaretoken": token, **seen(comment)}
        ).status_code
        == 403
    )
    url = f"{QUEUE}story/{article.pk}/comments/"
    assert client.post(url, {"open": "0"}).status_code == 403  # CSRF
    response = client.post(url, {"csrfmiddlewaretoken": token, "open": "0", "queue_url": QUEUE})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.comments_open is False
    assert "Reopen comments on this story" in client.get(QUEUE).content.decode()
    client.post(url, {"csrfmiddlewaretoken": token, "open": "1"})
    article.refresh_from_db()
    assert article.comments_open is True


def test_reporters_cannot_close_a_story_or_see_the_statistics(reporter_client):
    article = make_article()
    url = f"{QUEUE}story/{article.pk}/comments/"
    assert reporter_client.post(url, {"open": "0"}).status_code == 403
    assert reporter_client.get(f"{QUEUE}stats/").status_code == 403
    article.refresh_from_db()
    assert article.comments_open is True


def test_moderators_close_a_story_from_the_queue(moderator_client):
    article = make_article()
    url = f"{QUEUE}story/{article.pk}/comments/"
    assert moderator_client.get(url).status_code == 405
    moderator_client.post(url, {"open": "0"})
    article.refresh_from_db()
    assert article.comments_open is False


def test_staff_without_comment_permissions_cannot_reach_the_desk_pages(db):
    comment = make_comment(make_article(), status="pending")
    user = User.objects.create_user("plain", "plain@example.com", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Reporters"))
    client = Client()
    client.force_login(user)
    for url in (f"{QUEUE}stats/", f"{QUEUE}{comment.pk}/thread/"):
        assert client.get(url).status_code == 403
    assert Client().get(f"{QUEUE}stats/").status_code == 302  # to the login page


def test_the_queue_and_a_thread_give_times_to_the_second_as_html_allows(moderator_client):
    story = make_article()
    comment = make_comment(story, status=Comment.Status.PENDING)
    make_comment(story, status=Comment.Status.APPROVED, parent=comment)
    pages = [
        moderator_client.get(QUEUE).content.decode(),
        moderator_client.get(f"/admin/comments/comment/{comment.pk}/thread/").content.decode(),
    ]
    for html in pages:
        times = re.findall(r'<time datetime="([^"]*)"', html)
        assert times
        for value in times:
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)", value), value
