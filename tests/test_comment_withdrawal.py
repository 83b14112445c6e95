"""A reader withdraws their own comment: other readers' replies stay, and a moderator's
decision stays on record (issue 19, finding 15)."""

import pytest

from comments.editing import edit_token
from comments.models import Comment
from tests.factories import make_article
from tests.factories_comments import article_page, comments_region, make_comment

pytestmark = pytest.mark.django_db

PLACEHOLDER = "This comment was withdrawn by its author."


def withdraw(client, comment):
    return client.post(f"/comments/edit/{edit_token(comment)}/", {"withdraw": "1"})


def test_withdrawing_a_comment_keeps_the_approved_replies_of_other_readers(
    client, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60  # the withdrawal must reach a cached story page
    article = make_article()
    mine = make_comment(article, name="Withdrawer", body="Words I regret")
    reply = make_comment(article, parent=mine, name="Replier", body="A reply worth keeping")
    region = comments_region(article_page(client, article))
    assert "Words I regret" in region and "(2)" in region

    with django_capture_on_commit_callbacks(execute=True):  # purges are sent once committed
        response = withdraw(client, mine)

    assert response.status_code == 303
    assert response["Location"].endswith("?comment=withdrawn#comments")
    mine.refresh_from_db()
    assert mine.withdrawn_at is not None and mine.body == ""
    assert Comment.objects.get(pk=reply.pk).status == "approved"
    region = comments_region(article_page(client, article))
    assert "Words I regret" not in region and "Withdrawer" not in region
    assert PLACEHOLDER in region
    assert "A reply worth keeping" in region
    assert "(1)" in region  # the placeholder is not counted as a comment
    assert f"/comments/report/{mine.pk}/" not in region  # nothing left to report or answer
    assert client.get(f"/comments/{article.pk}/").content.decode().count(PLACEHOLDER) == 1


def test_a_withdrawn_comment_without_replies_readers_see_disappears(client):
    article = make_article()
    alone = make_comment(article, body="Nobody answered")
    answered_only_in_the_queue = make_comment(article, body="Answer still waiting")
    make_comment(article, parent=answered_only_in_the_queue, status="pending")
    withdraw(client, alone)
    withdraw(client, answered_only_in_the_queue)
    assert not Comment.objects.filter(pk=alone.pk).exists()
    region = comments_region(article_page(client, article))
    assert "Nobody answered" not in region and "Answer still waiting" not in region
    assert PLACEHOLDER not in region
    assert "(0)" in region


def test_a_withdrawn_comment_cannot_be_replied_to_reported_or_changed_again(client):
    article = make_article()
    mine = make_comment(article, body="Soon gone")
    make_comment(article, parent=mine)
    withdraw(client, mine)
    assert client.get(f"/comments/{article.pk}/reply/{mine.pk}/").status_code == 404
    assert client.get(f"/comments/report/{mine.pk}/").status_code == 404
    response = client.post(f"/comments/edit/{edit_token(mine)}/", {"body": "Back again"})
    assert response.status_code == 410
    assert "This comment was withdrawn." in response.content.decode()
    mine.refresh_from_db()
    assert mine.body == ""


@pytest.mark.parametrize("decision", ["spam", "reject"])
def test_a_comment_a_moderator_turned_down_cannot_be_withdrawn(client, moderator, decision):
    comment = make_comment(make_article(), status="pending", body="On the record")
    if decision == "spam":
        comment.mark_spam(by=moderator)
    else:
        comment.reject(by=moderator, reason="abusive")

    for response in (
        client.get(f"/comments/edit/{edit_token(comment)}/"),
        withdraw(client, comment),
    ):
        assert response.status_code == 409
        assert "A moderator has decided on this comment" in response.content.decode()
        assert "Withdraw my comment" not in response.content.decode()

    comment.refresh_from_db()
    assert comment.body == "On the record" and comment.withdrawn_at is None
    assert comment.decisions.count() == 1


def test_spam_caught_at_posting_answers_like_any_withdrawal_and_stays_on_record(client):
    comment = make_comment(
        make_article(), status="spam", body="Cheap pills", flags={"honeypot": True}
    )
    response = withdraw(client, comment)
    assert response.status_code == 303  # nothing tells a bot it was caught
    comment.refresh_from_db()
    assert (comment.status, comment.body) == ("spam", "Cheap pills")
    assert comment.withdrawn_at is not None


def test_a_withdrawn_comment_leaves_the_reported_queue(client):
    article = make_article()
    mine = make_comment(article, body="Reported, then withdrawn")
    make_comment(article, parent=mine)
    mine.report(reason="abuse", ip_address="192.0.2.1")
    assert Comment.objects.queue_counts()["reported"] == 1
    withdraw(client, mine)
    assert Comment.objects.queue_counts()["reported"] == 0
    assert not Comment.objects.reported().exists()
