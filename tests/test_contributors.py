"""Structured contributor credits: roles in a fixed order under the story, and in the JSON-LD."""

import pytest
from django.urls import reverse

from articles.models import Contributor
from articles.models.contributors import credit_lines
from tests.admin_forms import form_data
from tests.factories import make_article
from tests.test_article_page import json_ld

pytestmark = pytest.mark.django_db

Role, Kind = Contributor.Role, Contributor.Kind


def credit(story, name, role, kind=Kind.PERSON, position=0):
    return Contributor.objects.create(
        article=story, name=name, role=role, kind=kind, position=position
    )


def test_credits_render_under_the_story_in_the_fixed_order_of_roles(client):
    story = make_article()
    credit(story, "Noa Cohen", Role.PHOTOGRAPHS)
    credit(story, "Eli Mor", Role.TRANSLATED)
    credit(story, "Dana Levi", Role.ADDITIONAL_REPORTING, position=1)
    credit(story, "Omer Adam", Role.ADDITIONAL_REPORTING, position=0)
    credit(story, "Ynet", Role.CONTRIBUTED, Kind.ORGANIZATION)

    html = client.get(story.get_absolute_url()).content.decode()

    assert (
        '<p class="contributor-note">Ynet contributed to this report. '
        "Additional reporting by Omer Adam and Dana Levi. Translated by Eli Mor. "
        "Photographs by Noa Cohen.</p>"
    ) in html


def test_the_free_contributor_note_still_shows_before_the_credits(client):
    story = make_article(contributor_note="Ynet contributed to this report.")
    credit(story, "Dana Levi", Role.ADDITIONAL_REPORTING)

    html = client.get(story.get_absolute_url()).content.decode()

    assert (
        '<p class="contributor-note">Ynet contributed to this report. '
        "Additional reporting by Dana Levi.</p>"
    ) in html


def test_three_names_are_joined_with_commas_and_and():
    story = make_article()
    people = [credit(story, name, Role.TRANSLATED) for name in ("A", "B", "C")]

    assert credit_lines(people) == ["Translated by A, B and C."]


def test_contributors_go_into_the_json_ld(client):
    story = make_article()
    credit(story, "Ynet", Role.CONTRIBUTED, Kind.ORGANIZATION)
    credit(story, "Dana Levi", Role.ADDITIONAL_REPORTING, position=1)

    data = json_ld(client.get(story.get_absolute_url()).content.decode())

    assert data["contributor"] == [
        {"@type": "Organization", "name": "Ynet", "description": "contributed to this report"},
        {"@type": "Person", "name": "Dana Levi", "description": "additional reporting by"},
    ]


def test_a_reporter_credits_a_contributor_in_the_story_form(reporter_client):
    story = make_article(status="draft")
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = form_data(
        reporter_client.get(url),
        **{
            "contributors-0-name": "Ynet",
            "contributors-0-kind": "organization",
            "contributors-0-role": "contributed",
            "contributors-0-position": "0",
        },
    )

    response = reporter_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert [str(c) for c in story.contributors.all()] == ["Ynet, contributed to this report"]
