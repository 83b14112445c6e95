"""Who may do what in the back office: reporters write, editors publish, moderators stay out."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.admin_forms import article_post
from tests.factories import make_article, make_author, make_section

ADD_URL = reverse("admin:articles_article_add")
CHANGELIST_URL = reverse("admin:articles_article_changelist")

pytestmark = pytest.mark.django_db


def test_reporter_can_write_a_draft_and_send_it_to_review(reporter_client):
    section, author = make_section(), make_author()

    response = reporter_client.post(
        ADD_URL, article_post(section=section, authors=[author], status="review")
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="a-headline-for-the-test")
    assert article.status == Article.Status.REVIEW
    assert article.byline_authors == [author]


def test_reporter_cannot_publish_through_the_form(reporter_client):
    section, author = make_section(), make_author()

    response = reporter_client.post(
        ADD_URL, article_post(section=section, authors=[author], status="published")
    )

    assert response.status_code == 200
    assert "You do not have permission to publish" in response.content.decode()
    assert not Article.objects.exists()


def test_reporter_cannot_publish_through_a_crafted_action_post(reporter_client):
    draft = make_article(status=Article.Status.DRAFT)

    response = reporter_client.post(
        CHANGELIST_URL, {"action": "publish", "_selected_action": [draft.pk]}
    )

    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert response.status_code in (200, 302, 403)


def test_reporter_does_not_see_the_publish_action(reporter_client):
    make_article(status=Article.Status.DRAFT)

    response = reporter_client.get(CHANGELIST_URL)

    actions = [choice[0] for choice in response.context["action_form"].fields["action"].choices]
    assert "send_to_review" in actions
    assert "publish" not in actions
    assert "unpublish" not in actions


def test_reporter_cannot_edit_a_published_story(reporter_client):
    story = make_article(headline="Already public")
    url = reverse("admin:articles_article_change", args=[story.pk])

    response = reporter_client.post(
        url,
        article_post(
            section=story.section, authors=story.byline_authors, status="draft",
            headline="Rewritten by a reporter", slug=story.slug,
        ),
    )  # fmt: skip

    story.refresh_from_db()
    assert response.status_code == 403
    assert story.headline == "Already public"
    assert story.status == Article.Status.PUBLISHED


def test_reporter_cannot_publish_through_the_model_method(reporter):
    from django.core.exceptions import PermissionDenied

    draft = make_article(status=Article.Status.DRAFT)
    with pytest.raises(PermissionDenied):
        draft.publish(by=reporter)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_editor_can_publish_from_the_form(editor_client):
    section, author = make_section(), make_author()

    response = editor_client.post(
        ADD_URL, article_post(section=section, authors=[author], status="published")
    )

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.is_published
    assert article.published_at is not None
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_editor_can_publish_and_unpublish_with_list_actions(editor_client):
    draft = make_article(status=Article.Status.DRAFT)

    editor_client.post(CHANGELIST_URL, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_published

    editor_client.post(CHANGELIST_URL, {"action": "unpublish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert not Article.objects.published().filter(pk=draft.pk).exists()


def test_send_to_review_action_moves_drafts_only(reporter_client):
    draft = make_article(status=Article.Status.DRAFT)

    reporter_client.post(
        CHANGELIST_URL, {"action": "send_to_review", "_selected_action": [draft.pk]}
    )

    draft.refresh_from_db()
    assert draft.status == Article.Status.REVIEW


@pytest.mark.parametrize(
    "url_name",
    ["admin:articles_article_changelist", "admin:articles_article_add", "admin:articles_photo_add"],
)
def test_moderator_cannot_reach_the_editorial_admin(moderator_client, url_name):
    assert moderator_client.get(reverse(url_name)).status_code == 403


def test_moderator_cannot_change_an_article(moderator_client):
    story = make_article(headline="Untouched")
    url = reverse("admin:articles_article_change", args=[story.pk])

    response = moderator_client.post(
        url, article_post(section=story.section, authors=story.byline_authors, headline="Changed")
    )

    story.refresh_from_db()
    assert response.status_code == 403
    assert story.headline == "Untouched"


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(CHANGELIST_URL)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_tags_are_picked_by_autocomplete_and_new_ones_typed_in(editor_client):
    from taggit.models import Tag

    existing = Tag.objects.create(name="Hostage Deal", slug="hostage-deal")
    section, author = make_section(), make_author()

    lookup = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "hostage", "app_label": "articles", "model_name": "article", "field_name": "tags"},
    )
    assert [r["text"] for r in lookup.json()["results"]] == ["Hostage Deal"]

    response = editor_client.post(
        ADD_URL,
        article_post(section=section, authors=[author], tags=[existing.pk, "Antony Blinken"]),
    )

    assert response.status_code == 302
    assert sorted(Article.objects.get().tags.names()) == ["Antony Blinken", "Hostage Deal"]
    change = editor_client.get(
        reverse("admin:articles_article_change", args=[Article.objects.get().pk])
    )
    assert 'data-tags="true"' in change.content.decode()
    assert "Antony Blinken</option>" in change.content.decode()


def test_the_demo_editor_logs_in_and_finds_the_reference_article_with_credit_and_tags(client):
    import io

    from django.core.management import call_command

    call_command("seed_demo", "--users", stdout=io.StringIO())
    login = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": "newsroom-demo", "next": "/admin/"},
    )
    assert login.status_code == 302

    listing = client.get(CHANGELIST_URL, {"q": "Blinken"}).content.decode()
    assert "Blinken heads to Israel as ceasefire talks gain momentum" in listing

    story = Article.objects.get(slug="blinken-heads-to-israel-as-ceasefire-talks-gain-momentum")
    page = client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    assert "Photo: Alexandros Michailidis / Shutterstock" in page
    assert "Antony Blinken</option>" in page
    assert "Hostage Deal</option>" in page
    assert "View on site" in page


def test_a_refused_publish_gives_the_reporter_the_form_back_to_send_to_review(reporter_client):
    draft = make_article(status=Article.Status.DRAFT, authors=[])
    url = reverse("admin:articles_article_change", args=[draft.pk])
    data = article_post(
        section=draft.section, authors=[make_author()], status="published",
        slug=draft.slug, headline=draft.headline,
    )  # fmt: skip

    refused = reporter_client.post(url, data)

    page = refused.content.decode()
    assert refused.status_code == 200
    assert "You do not have permission to publish" in page
    assert '<select name="status"' in page, "the form must stay editable"
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT

    sent = reporter_client.post(url, {**data, "status": "review"})
    assert sent.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.REVIEW


def test_a_stale_form_adding_an_existing_byline_again_gets_an_error_not_a_crash(editor_client):
    author = make_author()
    story = make_article(status=Article.Status.DRAFT, authors=[author])
    url = reverse("admin:articles_article_change", args=[story.pk])

    # As sent by a page opened before someone else added the same author.
    response = editor_client.post(
        url, article_post(section=story.section, authors=[author], slug=story.slug)
    )

    assert response.status_code == 200
    assert f"{author.name} already has a byline on this story" in response.content.decode()
    assert story.bylines.count() == 1


def test_the_same_author_twice_in_one_form_is_an_error_not_a_crash(editor_client):
    author = make_author()

    response = editor_client.post(
        ADD_URL, article_post(section=make_section(), authors=[author, author])
    )

    assert response.status_code == 200
    assert "Please correct the duplicate data" in response.content.decode()
    assert not Article.objects.exists()


def test_a_reporter_reads_a_published_story_as_readers_see_it(reporter_client):
    story = make_article(body="<p>Rendered <strong>body</strong>.</p>", tags=["Hostage Deal"])

    page = reporter_client.get(
        reverse("admin:articles_article_change", args=[story.pk])
    ).content.decode()

    assert "Rendered <strong>body</strong>." in page
    assert "&lt;p&gt;" not in page
    assert "Hostage Deal" in page
    assert '<select name="status"' not in page
