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
