from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.utils import timezone

from comments.models import Ban, BannedWord, Comment
from tests.factories import make_article
from tests.factories_comments import csrf_client, make_comment, post_comment, seen, token_from

QUEUE = "/admin/comments/comment/"

pytestmark = pytest.mark.django_db


def test_the_queue_opens_on_pending_comments_oldest_first(moderator_client):
    article = make_article()
    now = timezone.now()
    make_comment(article, body="Newer pending", status="pending", created_at=now)
    make_comment(
        article, body="Older pending", status="pending", created_at=now - timedelta(hours=2)
    )
    make_comment(article, body="Already approved", status="approved")
    make_comment(article, body="Spam offer", status="spam")
    response = moderator_client.get(QUEUE)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Older pending") < html.index("Newer pending")
    assert "Already approved" not in html
    assert "Spam offer" not in html
    assert [c.body for c in response.context["cl"].result_list] == [
        "Older pending",
        "Newer pending",
    ]


def test_the_queue_shows_excerpt_article_name_email_time_and_flags(moderator_client):
    article = make_article(headline="Talks resume")
    make_comment(
        article,
        status="pending",
        name="Ana",
        email="ana@example.com",
        body="You <b>idiot</b>, see http://x.example",
        flags={"banned_words": ["idiot"], "links": 3},
    )
    html = moderator_client.get(QUEUE).content.decode()
    assert "Talks resume" in html
    assert "Ana" in html and "ana@example.com" in html
    assert "You &lt;b&gt;<mark>idiot</mark>&lt;/b&gt;, see http://x.example" in html
    assert "Banned words: <mark>idiot</mark>" in html
    assert "Many links (3)" in html


def test_other_statuses_all_and_flag_filters_and_search(moderator_client):
    article = make_article()
    make_comment(article, body="Approved words", status="approved")
    make_comment(article, body="Linky", status="pending", flags={"links": 5})
    make_comment(article, body="Plain", status="pending", name="Zed")

    def bodies(query):
        response = moderator_client.get(QUEUE + query)
        assert response.status_code == 200
        return sorted(c.body for c in response.context["cl"].result_list)

    assert bodies("?status=approved") == ["Approved words"]
    assert bodies("?status=all") == ["Approved words", "Linky", "Plain"]
    assert bodies("?flag=links") == ["Linky"]
    assert bodies("?q=Zed") == ["Plain"]
    assert bodies(f"?status=all&article__id__exact={article.pk}") == [
        "Approved words",
        "Linky",
        "Plain",
    ]


def test_a_moderators_only_account_approves_through_the_admin_action_with_csrf(moderator):
    article = make_article()
    comments = [make_comment(article, status="pending") for _ in range(2)]
    client = csrf_client(moderator)
    token = token_from(client.get(QUEUE).content.decode())
    response = client.post(
        QUEUE,
        {
            "csrfmiddlewaretoken": token,
            "action": "approve",
            "_selected_action": [c.pk for c in comments],
            **seen(*comments),
        },
    )
    assert response.status_code == 302
    for comment in comments:
        comment.refresh_from_db()
        assert comment.status == Comment.Status.APPROVED
        assert comment.moderated_by == moderator
    assert LogEntry.objects.filter(user=moderator, change_message="Approved").count() == 2


def test_one_click_approve_and_reject_with_a_reason_on_each_card(moderator):
    article = make_article()
    first = make_comment(article, status="pending")
    second = make_comment(article, status="pending")
    client = csrf_client(moderator)
    html = client.get(QUEUE).content.decode()
    approve_url = f"/admin/comments/comment/{first.pk}/approve/"
    reject_url = f"/admin/comments/comment/{second.pk}/reject/"
    assert f'formaction="{approve_url}"' in html
    assert f'formaction="{reject_url}"' in html
    token = token_from(html)

    assert client.post(approve_url).status_code == 403  # no CSRF token
    response = client.post(approve_url, {"csrfmiddlewaretoken": token, **seen(first)})
    assert response.status_code == 302
    response = client.post(reject_url, {"csrfmiddlewaretoken": token, **seen(second)})
    assert response.status_code == 302  # back to the queue, told to choose a reason
    second.refresh_from_db()
    assert second.status == "pending"
    response = client.post(
        reject_url,
        {"csrfmiddlewaretoken": token, f"reason-{second.pk}": "off-topic", **seen(second)},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.moderated_by) == ("approved", moderator)
    assert (second.status, second.moderated_by) == ("rejected", moderator)
    assert client.get(approve_url).status_code == 405


def test_spam_action_records_who_and_when(moderator_client, moderator):
    comment = make_comment(make_article(), status="pending")
    moderator_client.post(
        QUEUE, {"action": "mark_spam", "_selected_action": [comment.pk], **seen(comment)}
    )
    comment.refresh_from_db()
    assert comment.status == "spam"
    assert comment.moderated_by == moderator
    assert timezone.now() - comment.moderated_at < timedelta(minutes=1)


def test_moderators_cannot_rewrite_a_readers_words(moderator_client):
    comment = make_comment(make_article(), status="pending", body="My own words")
    url = f"/admin/comments/comment/{comment.pk}/change/"
    response = moderator_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "My own words" in html
    assert 'name="body"' not in html and 'name="name"' not in html and 'name="email"' not in html
    moderator_client.post(url, {"name": "Changed", "email": "x@example.com", "body": "Changed"})
    comment.refresh_from_db()
    assert (comment.name, comment.body) != ("Changed", "Changed")
    assert moderator_client.get("/admin/comments/comment/add/").status_code == 403


def test_the_change_page_shows_reports_and_decision_buttons(moderator_client):
    comment = make_comment(make_article(), status="pending")
    comment.report(reason="abuse", ip_address="192.0.2.1")
    html = moderator_client.get(f"/admin/comments/comment/{comment.pk}/change/").content.decode()
    assert "Abusive or hateful" in html
    assert f'formaction="/admin/comments/comment/{comment.pk}/approve/"' in html


def test_the_change_page_rejects_with_the_reason_and_note_it_shows(moderator_client, moderator):
    comment = make_comment(make_article(), status="pending")
    html = moderator_client.get(f"/admin/comments/comment/{comment.pk}/change/").content.decode()
    # Its controls carry the names the reject view reads, as each card of the queue does.
    assert f'<select name="reason-{comment.pk}" id="id_reason">' in html
    assert f'name="note-{comment.pk}" id="id_note"' in html

    moderator_client.post(
        f"/admin/comments/comment/{comment.pk}/reject/",
        {
            f"reason-{comment.pk}": "off-topic",
            f"note-{comment.pk}": "about another story",
            **seen(comment),
        },
    )

    comment.refresh_from_db()
    decision = comment.decisions.get()
    assert (comment.status, decision.reason, decision.note) == (
        "rejected",
        "off-topic",
        "about another story",
    )


def test_the_admin_home_shows_the_pending_count(moderator_client):
    article = make_article()
    for _ in range(3):
        make_comment(article, status="pending")
    make_comment(article, status="approved")
    html = moderator_client.get("/admin/").content.decode()
    assert "3 comments waiting for moderation" in html


def test_reporters_cannot_reach_the_queue(reporter_client):
    comment = make_comment(make_article(), status="pending")
    assert reporter_client.get(QUEUE).status_code == 403
    assert reporter_client.get(f"{QUEUE}{comment.pk}/change/").status_code == 403
    assert reporter_client.post(f"{QUEUE}{comment.pk}/approve/").status_code == 403
    response = reporter_client.post(QUEUE, {"action": "approve", "_selected_action": [comment.pk]})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert "waiting for moderation" not in reporter_client.get("/admin/").content.decode()


def test_anonymous_readers_cannot_reach_the_queue(client):
    comment = make_comment(make_article(), status="pending")
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    client.post(f"{QUEUE}{comment.pk}/approve/")
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_moderators_cannot_change_articles(moderator_client):
    article = make_article(headline="Untouched")
    assert moderator_client.get("/admin/articles/article/").status_code == 403
    assert moderator_client.get(f"/admin/articles/article/{article.pk}/change/").status_code == 403
    response = moderator_client.post(
        f"/admin/articles/article/{article.pk}/change/", {"headline": "Hijacked"}
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.headline == "Untouched"
    assert moderator_client.get("/admin/articles/article/add/").status_code == 403


def test_moderators_group_has_only_comment_permissions(moderator):
    perms = moderator.get_all_permissions()
    assert perms
    assert all(perm.startswith("comments.") for perm in perms)
    assert "comments.change_comment" in perms
    assert "comments.delete_comment" not in perms


def test_banned_words_are_edited_in_the_admin_by_moderators(moderator_client):
    response = moderator_client.post(
        "/admin/comments/bannedword/add/", {"word": "scoundrel", "created_at_0": "", "_save": "1"}
    )
    assert response.status_code == 302
    assert BannedWord.objects.filter(word="scoundrel").exists()


def test_ban_actions_create_bans_from_the_queue(moderator_client, moderator):
    comment = make_comment(
        make_article(), status="pending", email="Troll@Example.com", ip_address="198.51.100.4"
    )
    # The email ban makes the comment spam, so the IP ban is made from the "All" view.
    for action, view in (("ban_email", QUEUE), ("ban_ip", f"{QUEUE}?status=all")):
        response = moderator_client.post(view, {"action": action, "_selected_action": [comment.pk]})
        assert response.status_code == 302
    assert sorted(Ban.objects.values_list("kind", "value", "created_by")) == [
        ("email", "troll@example.com", moderator.pk),
        ("ip", "198.51.100.4", moderator.pk),
    ]


def test_a_posted_comment_shows_up_in_the_queue(client, moderator):
    article = make_article()
    post_comment(client, article, body="Fresh from a reader")
    staff = Client()
    staff.force_login(moderator)
    assert "Fresh from a reader" in staff.get(QUEUE).content.decode()


def test_the_queue_filters_work_with_facet_counts(moderator_client):
    comment = make_comment(make_article(), status="pending", flags={"duplicate": True})
    comment.report(reason="spam", ip_address="192.0.2.9")
    for query in ("?_facets=True", "?_facets=True&flag=reported", "?_facets=True&status=all"):
        response = moderator_client.get(QUEUE + query)
        assert response.status_code == 200
        assert [c.pk for c in response.context["cl"].result_list] == [comment.pk]
