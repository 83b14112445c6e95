"""The desk on the admin home: what needs each person, the Scheduled filter, review mail, times."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author
from comments.models import Comment
from tests.admin_forms import article_post
from tests.factories import make_article, make_author, make_section
from tests.factories_comments import make_comment

pytestmark = pytest.mark.django_db

HOME = reverse("admin:index")
CHANGELIST_URL = reverse("admin:articles_article_changelist")


def desk_of(client) -> str:
    html = client.get(HOME).content.decode()
    return html[html.index('id="desk"') :]


def test_a_reporter_sees_their_drafts_and_stories_sent_back_but_not_the_editors_queues(
    reporter_client, reporter, editor
):
    mine = Author.objects.create(name="Reporter Byline", slug="reporter-byline", user=reporter)
    make_article(headline="My draft", status=Article.Status.DRAFT, authors=[mine])
    returned = make_article(
        headline="Needs more work", status=Article.Status.REVIEW, authors=[mine]
    )
    make_article(headline="Someone else's draft", status=Article.Status.DRAFT)
    returned.status = Article.Status.DRAFT  # an editor sends it back
    returned.save()

    desk = desk_of(reporter_client)

    assert "My draft" in desk
    sent_back = desk[desk.index("Sent back to you") : desk.index("Your drafts")]
    assert "Needs more work" in sent_back
    assert "Someone else" not in desk
    assert "In review:" not in desk


def test_an_editor_sees_the_review_queue_the_schedule_and_what_was_just_published(
    editor_client, settings
):
    settings.TIME_ZONE = "Asia/Jerusalem"
    make_article(headline="Waiting one", status=Article.Status.REVIEW)
    make_article(headline="Waiting two", status=Article.Status.REVIEW)
    make_article(
        headline="Tomorrow morning",
        published_at=timezone.now().replace(hour=6, minute=30) + timedelta(days=1),
    )
    make_article(headline="Just out")

    desk = desk_of(editor_client)

    assert "In review: 2 stories" in desk
    assert "Waiting one" in desk and "Waiting two" in desk
    scheduled = desk[desk.index("<h2>Scheduled</h2>") : desk.index("Recently published")]
    assert "Tomorrow morning</a>: " in scheduled and ", 08:30 IST" in scheduled
    assert "Just out" in desk[desk.index("Recently published") :]
    assert "Times are in Asia/Jerusalem." in desk


def test_the_admin_home_keeps_the_pending_comment_count_for_moderators(moderator_client):
    make_comment(make_article(), status=Comment.Status.PENDING)

    html = moderator_client.get(HOME).content.decode()

    assert "1 comment waiting for moderation" in html
    assert 'id="desk"' not in html  # moderators have no stories


def test_the_story_list_filters_scheduled_stories(editor_client):
    make_article(headline="Live now")
    make_article(headline="Goes out later", published_at=timezone.now() + timedelta(hours=3))

    response = editor_client.get(CHANGELIST_URL, {"status": "scheduled"})
    live = editor_client.get(CHANGELIST_URL, {"status": "published"})

    assert [a.headline for a in response.context["cl"].result_list] == ["Goes out later"]
    assert [a.headline for a in live.context["cl"].result_list] == ["Live now"]


def test_sending_a_story_to_review_mails_the_editors(
    reporter_client, editor, django_capture_on_commit_callbacks
):
    story = make_article(headline="Budget vote delayed", status=Article.Status.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        reporter_client.post(
            CHANGELIST_URL, {"action": "send_to_review", "_selected_action": [story.pk]}
        )

    (message,) = mail.outbox
    assert message.to == ["editor@example.com"]
    assert message.subject == "For review: Budget vote delayed"
    assert f"/admin/articles/article/{story.pk}/change/" in message.body


def test_a_story_filed_for_review_from_the_form_mails_the_editors_once(
    reporter_client, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reporter_client.post(
            reverse("admin:articles_article_add"),
            article_post(section=make_section(), authors=[make_author()], status="review"),
        )

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "For review: A headline for the test"


def test_admin_times_name_the_site_time_zone(editor_client, settings):
    settings.TIME_ZONE = "Asia/Jerusalem"
    story = make_article()

    history = editor_client.get(reverse("admin:articles_article_history", args=[story.pk]))
    listing = editor_client.get(CHANGELIST_URL)

    assert "Times are in Asia/Jerusalem" in history.content.decode()
    assert "Times are in Asia/Jerusalem." in listing.content.decode()
