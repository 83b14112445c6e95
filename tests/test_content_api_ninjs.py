"""`?format=ninjs` and `Accept: application/ninjs+json`: IPTC ninjs 2.1, valid against IPTC's
own published schema (articles/api/schemas/ninjs-schema_2.1.json, shipped with its licence)."""

import json
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.utils import timezone

from articles.models import Contributor, Correction
from tests.api_helpers import api_get, make_key
from tests.factories import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db

SCHEMA = Path(__file__).parents[1] / "articles" / "api" / "schemas" / "ninjs-schema_2.1.json"


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA.read_text())
    assert schema["title"] == "IPTC ninjs - News in JSON - version 2.1.1"
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.fixture
def key():
    return make_key()


@pytest.fixture
def story():
    story = make_article(
        kicker="Ceasefire Talks",
        headline="Blinken heads to Israel",
        subheadline="Cautious optimism.",
        section=make_section("World", slug="world"),
        authors=[make_author("Dana Levi"), make_author("Omer Adam")],
        tags=["Hostage Deal", "Antony Blinken"],
        lead_photo=make_photo(caption="Antony Blinken", alt_text="Blinken at a podium"),
        body="<p>The Secretary of State arrives on Sunday.</p>",
    )
    Contributor.objects.create(article=story, name="Ynet", kind="organization")
    Correction.objects.create(
        article=story, text="We misspelt a name.", published_at=timezone.now()
    )
    return story


def test_a_story_in_ninjs_is_valid_against_iptcs_schema(client, key, story, validator):
    item = api_get(client, f"/api/v1/stories/{story.pk}/?format=ninjs", key).json()

    validator.validate(item)
    assert item["uri"].startswith("tag:testserver,") and item["uri"].endswith(f":story:{story.pk}")
    assert item["pubstatus"] == "usable"
    assert item["by"] == "Dana Levi and Omer Adam"
    assert [h["value"] for h in item["headlines"]] == [
        "Blinken heads to Israel", "Cautious optimism.", "Ceasefire Talks",
    ]  # fmt: skip
    assert {s["name"] for s in item["subjects"]} == {"World", "Hostage Deal", "Antony Blinken"}
    assert item["bodies"][0]["value"] == story.body
    assert item["infosources"] == [{"name": "Ynet", "role": "contributed"}]
    assert "We misspelt a name." in item["descriptions"][0]["value"]
    [photo] = item["associations"]
    assert photo["type"] == "picture" and photo["by"] == "Alexandros Michailidis"
    assert photo["descriptions"] == [{"role": "alt", "value": "Blinken at a podium"}]
    assert {r["contenttype"] for r in photo["renditions"]} == {"image/jpeg", "image/webp"}
    assert "embargoed" not in item  # not embargoed: absent, as ninjs says
    # The schema's "date-time" and "uri" formats need optional packages jsonschema does not
    # bring: checked here instead.
    for name in ("firstcreated", "versioncreated"):
        assert datetime.fromisoformat(item[name]).tzinfo is not None
    for uri in [item["uri"], photo["uri"], *(r["href"] for r in photo["renditions"])]:
        assert urlsplit(uri).scheme in ("tag", "http")


def test_the_accept_header_asks_for_ninjs_too(client, key, story, validator):
    response = api_get(
        client, f"/api/v1/stories/{story.pk}/", key, HTTP_ACCEPT="application/ninjs+json"
    )
    assert response["Content-Type"] == "application/ninjs+json"
    validator.validate(response.json())
    assert "Accept" in response["Vary"]


def test_every_story_of_a_list_in_ninjs_is_valid(client, key, story, validator):
    make_article(body="", lead_photo=None, tags=[])  # the barest story
    items = api_get(client, "/api/v1/stories/?format=ninjs", key).json()["items"]
    assert len(items) == 2
    for item in items:
        validator.validate(item)


def test_the_front_page_in_ninjs_is_valid(client, key, story, validator):
    data = api_get(client, "/api/v1/front-page/?format=ninjs", key).json()
    validator.validate(data["lead"])


def test_something_the_schema_forbids_would_be_caught(validator):
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"uri": "tag:x,2026-01-01:story:1", "byline": "Not a ninjs 2 field"})
