"""What a published or scheduled story shows (its photo, authors, section, tags) is changed
only by those who may publish."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Author, Photo
from tests.factories import make_article, make_author, make_photo, make_section, upload

pytestmark = pytest.mark.django_db


def photo_post(photo, **fields):
    return {
        "caption": "Replaced caption",
        "alt_text": photo.alt_text,
        "photographer": "Someone Else",
        "agency": "",
        "usage_terms": "",
        "rights_expire_on": "",
        **fields,
    }


@pytest.mark.parametrize("when", ["published", "scheduled"])
def test_a_reporter_cannot_replace_the_lead_photo_of_a_public_story(reporter_client, when):
    photo = make_photo(caption="Antony Blinken")
    published_at = timezone.now() + timedelta(hours=2) if when == "scheduled" else None
    make_article(lead_photo=photo, published_at=published_at)
    url = reverse("admin:articles_photo_change", args=[photo.pk])

    response = reporter_client.post(url, photo_post(photo, image=upload("new.jpg")))

    assert response.status_code == 403
    photo.refresh_from_db()
    assert photo.caption == "Antony Blinken"
    assert photo.photographer == "Alexandros Michailidis"
    # The change page opens read-only.
    page = reporter_client.get(url)
    assert page.status_code == 200
    assert b'name="caption"' not in page.content


def test_a_reporter_still_edits_the_photo_of_a_draft(reporter_client):
    photo = make_photo(caption="Draft photo")
    make_article(lead_photo=photo, status=Article.Status.DRAFT)

    response = reporter_client.post(
        reverse("admin:articles_photo_change", args=[photo.pk]), photo_post(photo)
    )

    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.caption == "Replaced caption"


def test_an_editor_changes_the_lead_photo_of_a_published_story(editor_client):
    photo = make_photo()
    make_article(lead_photo=photo)

    response = editor_client.post(
        reverse("admin:articles_photo_change", args=[photo.pk]), photo_post(photo)
    )

    assert response.status_code == 302
    assert Photo.objects.get().caption == "Replaced caption"


def test_authors_and_sections_of_public_stories_need_the_publish_permission(reporter, client):
    # A newsroom that lets reporters edit authors and sections still keeps published ones safe.
    reporter.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["change_author", "delete_author", "change_section", "delete_section"]
        )
    )
    client.force_login(reporter)
    author, spare = make_author(name="Byline Name"), make_author(name="Spare")
    section = make_section(name="World")
    make_article(authors=[author], section=section)

    response = client.post(
        reverse("admin:articles_author_change", args=[author.pk]),
        {"name": "Forged", "slug": author.slug, "bio": "", "user": ""},
    )
    assert response.status_code == 403
    assert Author.objects.get(pk=author.pk).name == "Byline Name"
    assert (
        client.get(reverse("admin:articles_section_delete", args=[section.pk])).status_code == 403
    )
    bulk = client.post(
        reverse("admin:articles_author_changelist"),
        {"action": "delete_selected", "_selected_action": [author.pk, spare.pk], "post": "yes"},
    )
    # The admin lists what the reporter may not delete, and deletes nothing.
    assert bulk.status_code in {200, 403}
    assert Author.objects.filter(pk__in=[author.pk, spare.pk]).count() == 2
    # An author no public story names is theirs to change.
    ok = client.post(
        reverse("admin:articles_author_change", args=[spare.pk]),
        {"name": "Spare Renamed", "slug": spare.slug, "bio": "", "user": ""},
    )
    assert ok.status_code == 302


def test_tags_of_public_stories_cannot_be_renamed_or_merged_without_the_publish_permission(
    reporter, client
):
    reporter.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_tag", "delete_tag"])
    )
    client.force_login(reporter)
    make_article(tags=["Hostage Deal"])
    make_article(tags=["Hostage Dael"], status=Article.Status.DRAFT)
    live, typo = Tag.objects.get(name="Hostage Deal"), Tag.objects.get(name="Hostage Dael")

    rename = client.post(
        reverse("admin:taggit_tag_change", args=[live.pk]),
        {"name": "Forged", "slug": "forged", "taggit-taggeditem-tag_id-TOTAL_FORMS": "0",
         "taggit-taggeditem-tag_id-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert rename.status_code == 403
    session = client.session
    session["selected_tag_ids"] = f"{live.pk},{typo.pk}"
    session.save()
    merge = client.post(reverse("admin:taggit_tag_merge_tags"), {"new_tag_name": "Forged"})
    assert merge.status_code == 403
    assert set(Tag.objects.values_list("name", flat=True)) == {"Hostage Deal", "Hostage Dael"}


def test_a_moderator_cannot_merge_tags(moderator_client):
    make_article(tags=["One", "Two"])

    response = moderator_client.post(reverse("admin:taggit_tag_merge_tags"), {"new_tag_name": "X"})

    assert response.status_code == 403
    assert Tag.objects.count() == 2


# Issue 19, finding 7: every photo a public story shows is guarded, not only its lead photo.


@pytest.mark.parametrize("when", ["published", "scheduled"])
def test_a_reporter_cannot_replace_the_file_or_alt_text_of_a_public_storys_social_image(
    reporter_client, when
):
    social = make_photo(caption="Social card", alt_text="Ministers at the table")
    published_at = timezone.now() + timedelta(hours=2) if when == "scheduled" else None
    story = make_article(lead_photo=make_photo(), social_image=social, published_at=published_at)
    url = reverse("admin:articles_photo_change", args=[social.pk])
    stored = social.image.name

    response = reporter_client.post(
        url, photo_post(social, image=upload("swap.jpg"), alt_text="Something else entirely")
    )

    assert response.status_code == 403
    social.refresh_from_db()
    assert (social.image.name, social.alt_text) == (stored, "Ministers at the table")
    assert b'name="alt_text"' not in reporter_client.get(url).content  # opens read-only
    if when == "published":
        page = reporter_client.get(story.get_absolute_url()).content.decode()
        assert 'content="Ministers at the table"' in page  # og:image:alt unchanged


def test_a_reporter_cannot_delete_a_public_storys_social_image_one_by_one_or_in_bulk(
    reporter, client
):
    # A newsroom that lets reporters delete photos still keeps the ones public stories show.
    reporter.user_permissions.add(Permission.objects.get(codename="delete_photo"))
    client.force_login(reporter)
    reporter_client = client
    social, spare = make_photo(caption="Social card"), make_photo(caption="Unused")
    make_article(social_image=social)

    assert (
        reporter_client.post(
            reverse("admin:articles_photo_delete", args=[social.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    bulk = reporter_client.post(
        reverse("admin:articles_photo_changelist"),
        {"action": "delete_selected", "_selected_action": [social.pk, spare.pk], "post": "yes"},
    )
    assert bulk.status_code in {200, 403}
    assert Photo.objects.filter(pk__in=[social.pk, spare.pk]).count() == 2
    unused = reporter_client.post(
        reverse("admin:articles_photo_delete", args=[spare.pk]), {"post": "yes"}
    )
    assert unused.status_code == 302  # a photo no public story shows is theirs to delete


def test_an_editor_replaces_and_deletes_a_public_storys_social_image(editor_client):
    social = make_photo(caption="Social card")
    story = make_article(social_image=social)
    url = reverse("admin:articles_photo_change", args=[social.pk])

    response = editor_client.post(url, photo_post(social, image=upload("new.jpg"), alt_text="New"))

    assert response.status_code == 302
    assert Photo.objects.get(pk=social.pk).alt_text == "New"
    delete = editor_client.post(
        reverse("admin:articles_photo_delete", args=[social.pk]), {"post": "yes"}
    )
    assert delete.status_code == 302
    assert not Photo.objects.filter(pk=social.pk).exists()
    story.refresh_from_db()
    assert story.social_image is None


def test_a_reporter_edits_the_social_image_of_a_draft(reporter_client):
    social = make_photo(caption="Draft social card")
    make_article(social_image=social, status=Article.Status.DRAFT)

    response = reporter_client.post(
        reverse("admin:articles_photo_change", args=[social.pk]), photo_post(social)
    )

    assert response.status_code == 302
    assert Photo.objects.get(pk=social.pk).caption == "Replaced caption"


def test_the_photos_public_stories_show_are_named_in_one_queryset():
    lead, social, both, draft_only, _unused = (make_photo() for _ in range(5))
    make_article(lead_photo=lead, social_image=both)
    make_article(lead_photo=both, social_image=social)
    make_article(lead_photo=draft_only, social_image=draft_only, status=Article.Status.DRAFT)

    shown = set(Photo.objects.shown_by_public_stories())

    assert shown == {lead, social, both}
