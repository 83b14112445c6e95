"""The story form's tag picker: typed names, digits and prefixes of existing tags."""

import pytest
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article
from tests.admin_forms import article_post
from tests.factories import make_author, make_section

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")


def post_with_tags(client, tags):
    response = client.post(
        ADD_URL, article_post(section=make_section(), authors=[make_author()], tags=tags)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return sorted(Article.objects.get().tags.names())


def test_a_typed_tag_made_of_digits_is_a_new_tag_not_the_tag_with_that_id(editor_client):
    Tag.objects.create(pk=2024, name="Unrelated existing tag", slug="unrelated")

    assert post_with_tags(editor_client, ["new:2024"]) == ["2024"]


def test_an_existing_tag_still_arrives_by_its_id(editor_client):
    tag = Tag.objects.create(name="Hostage Deal", slug="hostage-deal")

    assert post_with_tags(editor_client, [str(tag.pk)]) == ["Hostage Deal"]


def test_a_typed_name_of_an_existing_tag_in_another_case_picks_that_tag(editor_client):
    Tag.objects.create(name="Hostage Deal", slug="hostage-deal")

    assert post_with_tags(editor_client, ["new:hostage deal"]) == ["Hostage Deal"]
    assert Tag.objects.count() == 1


def test_the_story_form_loads_the_pickers_rules(editor_client):
    # The rules run in the browser (select2): the browser journey (tests/e2e) types a prefix of
    # an existing tag and presses Enter.
    html = editor_client.get(ADD_URL).content.decode()

    # After select2 and django.jQuery exist, before the admin starts its pickers (page load).
    order = [
        html.index(script)
        for script in (
            "admin/js/vendor/select2/select2.full",
            "admin/js/jquery.init.js",
            "articles/admin/tag_autocomplete.js",
        )
    ]
    assert order == sorted(order)
