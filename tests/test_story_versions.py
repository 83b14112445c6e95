"""Every save of a story is a version: who, when, what; compared as word diffs; restorable."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from reversion.models import Version

from articles.editorial import revisions
from articles.models import Article
from tests.admin_forms import article_post, form_data
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:articles_article_changelist")


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def history_url(story):
    return reverse("admin:articles_article_history", args=[story.pk])


def versions(story) -> list[Version]:
    return revisions.versions_of(story.pk)


def edit(client, story, **changes):
    """Open the story's change page and save it with `changes`, as an editor would."""
    response = client.post(change_url(story), form_data(client.get(change_url(story)), **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    story.refresh_from_db()
    return response


def test_a_save_in_the_admin_form_records_who_when_and_what(editor_client, editor):
    story = make_article(status=Article.Status.DRAFT, headline="First headline")

    edit(editor_client, story, headline="Second headline")

    latest = versions(story)[0]
    assert latest.revision.user == editor
    assert "Headline" in latest.revision.get_comment()
    assert latest.field_dict["headline"] == "Second headline"


def test_adding_a_story_in_the_admin_records_its_first_version(reporter_client, reporter):
    section, author = make_section(), make_author()

    reporter_client.post(
        reverse("admin:articles_article_add"), article_post(section=section, authors=[author])
    )

    story = Article.objects.get()
    (first,) = versions(story)
    assert first.revision.user == reporter
    # The bylines are part of the version.
    assert revisions.snapshot_of_version(first)["bylines"] == author.name


def test_publish_unpublish_and_send_to_review_each_record_a_version(editor, reporter):
    story = make_article(status=Article.Status.DRAFT)

    story.send_to_review(by=reporter)
    story.publish(by=editor)
    story.unpublish(by=editor)

    comments = [(v.revision.user, v.revision.get_comment()) for v in versions(story)]
    assert comments == [
        (editor, "Unpublished (back to draft)."),
        (editor, "Published."),
        (reporter, "Sent to review."),
    ]


@pytest.mark.parametrize(
    ("action", "status", "comment"),
    [
        ("send_to_review", Article.Status.DRAFT, "Sent to review."),
        ("publish", Article.Status.REVIEW, "Published."),
        ("unpublish", Article.Status.PUBLISHED, "Unpublished (back to draft)."),
    ],
)
def test_list_actions_record_a_version_and_write_the_admin_log(
    editor_client, editor, action, status, comment
):
    story = make_article(status=status)

    editor_client.post(CHANGELIST_URL, {"action": action, "_selected_action": [story.pk]})

    latest = versions(story)[0]
    assert (latest.revision.user, latest.revision.get_comment()) == (editor, comment)
    entry = LogEntry.objects.get(object_id=str(story.pk))
    assert (entry.user, entry.get_change_message()) == (editor, comment)


def test_the_history_lists_every_version_with_compare_and_restore(editor_client, editor):
    story = make_article(status=Article.Status.DRAFT, headline="One")
    edit(editor_client, story, headline="Two")
    edit(editor_client, story, headline="Three")

    html = editor_client.get(history_url(story)).content.decode()

    # The story as first opened (it was made outside the admin), then the two saves.
    assert html.count('name="a"') == 3
    assert "before its first recorded change" in html
    assert html.count("Restore this version") == 2  # the current version is not restorable
    assert "Compare the chosen versions" in html
    assert "Times are in UTC" in html or "in UTC" in html


def test_two_versions_compare_as_an_escaped_word_diff_of_what_readers_see(editor_client):
    story = make_article(
        status=Article.Status.DRAFT,
        headline="Talks resume in Cairo",
        body="<p>Officials met on <strong>Sunday</strong>.</p><p>More talks follow.</p>",
    )
    edit(editor_client, story, headline="Talks resume in Doha")
    edit(
        editor_client,
        story,
        headline="Talks <script>x</script> resume in Doha",
        body="<p>Officials met on <em>Monday</em>.</p><p>More talks follow.</p>",
    )
    newer, older = versions(story)[:2]

    response = editor_client.get(
        reverse("admin:articles_article_compare", args=[story.pk]),
        {"a": older.pk, "b": newer.pk},
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert "<ins>&lt;script&gt;x&lt;/script&gt;</ins>" in html
    assert "<script>x</script>" not in html
    # The body is compared as text: words, not markup.
    assert "<del>Sunday.</del> <ins>Monday.</ins>" in html
    assert "&lt;strong&gt;" not in html
    assert "Kicker" not in html.split("version-compare")[1]  # unchanged fields are left out


def test_the_word_diff_marks_removed_and_added_words():
    assert (
        revisions.word_diff("the quick brown fox", "the slow brown fox jumps")
        == "the <del>quick</del> <ins>slow</ins> brown fox <ins>jumps</ins>"
    )


def test_restoring_a_version_brings_back_its_text_and_bylines_as_a_new_version(editor_client):
    first_author, second_author = make_author(name="Dana Levi"), make_author(name="Omer Adam")
    story = make_article(status=Article.Status.DRAFT, headline="Original", authors=[first_author])
    edit(editor_client, story, headline="Original")  # the first recorded version
    original = versions(story)[0]
    data = form_data(editor_client.get(change_url(story)), headline="Rewritten")
    data["bylines-0-author"] = second_author.pk
    editor_client.post(change_url(story), data)
    story.refresh_from_db()
    assert story.headline == "Rewritten"

    url = reverse("admin:articles_article_revision", args=[story.pk, original.pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    response = editor_client.post(url, form_data(page))

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.headline == "Original"
    assert story.byline_authors == [first_author]
    latest = versions(story)[0]
    assert latest.pk != original.pk
    assert "Reverted to previous version" in latest.revision.get_comment()


def test_a_reporter_cannot_restore_a_published_version(editor, reporter_client):
    story = make_article(status=Article.Status.DRAFT, headline="Once public")
    story.publish(by=editor)
    published = versions(story)[0]
    story.unpublish(by=editor)

    url = reverse("admin:articles_article_revision", args=[story.pk, published.pk])
    data = form_data(reporter_client.get(reverse("admin:articles_article_change", args=[story.pk])))

    # The version is a published story, which a reporter may neither change nor publish.
    assert reporter_client.post(url, data).status_code == 403
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT
