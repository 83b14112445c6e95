"""The API's documentation: an OpenAPI 3 schema made from the code, and a reference for staff."""

import pytest
import yaml
from django.contrib.auth.models import User
from django.test import Client

from tests.api_helpers import api_get, make_key

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_describes_every_endpoint_and_the_key(client):
    response = api_get(client, "/api/v1/schema/?format=json", make_key())
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        f"/api/v1/{path}/"
        for path in ("stories", "stories/{id}", "sections", "topics", "authors", "corrections",
                     "photos", "photos/{id}", "front-page")
    }  # fmt: skip
    assert schema["components"]["securitySchemes"]["ApiKey"]["name"] == "Authorization"
    story = schema["components"]["schemas"]["Story"]["properties"]
    assert {"headline", "bylines", "lead_photo", "blocks", "corrections"} <= set(story)
    photo = schema["components"]["schemas"]["PhotoInUse"]["properties"]
    assert {"credit", "renditions", "usage_terms", "rights_expire_on", "stories"} <= set(photo)
    parameters = {p["name"] for p in schema["paths"]["/api/v1/stories/"]["get"]["parameters"]}
    assert {
        "limit",
        "offset",
        "section",
        "topic",
        "author",
        "updated_since",
        "format",
    } <= parameters


def test_the_schema_needs_a_key_or_a_staff_session(editor_client):
    assert Client().get("/api/v1/schema/").status_code == 401
    assert "openapi" in yaml.safe_load(editor_client.get("/api/v1/schema/").content)


def test_the_reference_is_for_staff_and_runs_only_our_own_scripts(editor_client):
    assert Client().get("/api/v1/docs/").status_code == 302  # to the back office's login
    response = editor_client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html and "<script>" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    script = editor_client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "/api/v1/schema/" in script.content.decode()


def test_a_staff_session_reads_the_reference_but_not_the_content(editor_client):
    assert editor_client.get("/api/v1/stories/").status_code == 401
    assert User.objects.get(username="editor").is_staff


def test_the_schema_is_valid_openapi_made_without_a_warning(tmp_path):
    from django.core.management import call_command

    # --validate checks it against the OpenAPI 3 specification; a guessed type is a warning.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    assert "/api/v1/stories/{id}/" in (tmp_path / "s.yml").read_text()
