"""The back office as the validators read it, and the story list and form at a laptop's width:
every choice and input named, no empty table header, short times in the story list, and
character counts written by the server (so they read without JavaScript)."""

import re

import pytest

from articles.models import Contributor, Correction
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    story = make_article(
        headline="Rents climb for a sixth straight month",
        authors=[make_author(), make_author()],
        subheadline="What the latest on housing means for readers.",
    )
    Contributor.objects.create(article=story, name="Ynet", kind="organization")
    Correction.objects.create(article=story, text="An earlier version gave the wrong date.")
    return story


def change_form(client, story) -> str:
    response = client.get(f"/admin/articles/article/{story.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def test_every_choice_of_the_story_form_has_a_name(editor_client, story):
    html = change_form(editor_client, story)
    assert 'name="section"' in html and 'name="social_image"' in html
    # HTML forbids an empty <option> without a label (Django's autocomplete leaves it blank).
    assert not re.search(r"<option[^>]*>\s*</option>", html)


def test_the_corrections_date_and_time_inputs_have_names(editor_client, story):
    html = change_form(editor_client, story)
    for prefix in ("corrections-0", "corrections-__prefix__"):  # saved, and the row to add
        for part, name in (("0", "Date"), ("1", "Time")):
            field = re.search(rf'<input [^>]*name="{prefix}-published_at_{part}"[^>]*>', html)
            assert field and f'aria-label="{name}"' in field.group(), (prefix, part)


def test_no_hidden_input_carries_aria_attributes(editor_client, story):
    html = change_form(editor_client, story)
    hidden = re.findall(r'<input type="hidden"[^>]*>', html)
    assert hidden and not [field for field in hidden if "aria-" in field]


def test_the_byline_and_contributor_tables_name_every_column(editor_client, story):
    html = change_form(editor_client, story)
    for group in ("bylines-group", "contributors-group"):
        table = re.search(rf'id="{group}".*?<thead>(.*?)</thead>', html, re.S).group(1)
        headers = re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)
        assert len(headers) >= 3
        assert all(re.sub(r"<[^>]+>|\s", "", header) for header in headers), (group, headers)
    assert '<span class="visually-hidden">Saved as</span>' in html


def test_the_history_names_its_restore_column(editor_client, story):
    change_form(editor_client, story)  # opening the form records the story's first version
    html = editor_client.get(f"/admin/articles/article/{story.pk}/history/").content.decode()
    assert 'id="change-history"' in html
    assert not re.search(r"<th[^>]*>\s*</th>", html)


def test_every_back_office_page_underlines_its_breadcrumb_links(editor_client):
    html = editor_client.get("/admin/articles/photo/agency-credits/").content.decode()
    assert re.search(r'<link rel="stylesheet" href="[^"]*articles/admin/back_office\.css', html)


def test_the_story_list_gives_short_times_and_leaves_out_the_app_list(editor_client, story):
    html = editor_client.get("/admin/articles/article/").content.decode()
    assert re.search(r'<th scope="col" class="[^"]*column-published', html)
    assert re.search(r'<th scope="col" class="[^"]*column-updated', html)
    assert re.search(
        r'<td class="field-published"><time datetime="[^"]+">\d{1,2} \w{3} \d{4}<br>\d\d:\d\d</time></td>',
        html,
    )
    assert 'id="nav-sidebar"' not in html
    # Elsewhere the app list stays.
    assert 'id="nav-sidebar"' in editor_client.get("/admin/articles/photo/").content.decode()


def test_the_headline_and_search_fields_count_their_characters_without_javascript(
    editor_client, story
):
    story.seo_title = "x" * 64
    story.save()
    html = change_form(editor_client, story)
    headline = re.search(r'<input [^>]*name="headline"[^>]*>', html).group()
    assert "vLargeTextField" in headline and "id_headline_count" in headline
    assert (
        '<p class="help character-count" id="id_headline_count" data-limits="{&quot;search '
        'results&quot;: 60, &quot;social cards&quot;: 70}" aria-live="polite">38 characters: '
        "search results show about 60; social cards about 70.</p>"
    ) in html
    assert (
        'id="id_subheadline_count" data-limits="{&quot;search results&quot;: 155}" '
        'aria-live="polite">45 characters: search results show about 155.</p>'
    ) in html
    assert ('<p class="help character-count character-count-over" id="id_seo_title_count"') in html
    assert "64 characters: search results show about 60 (4 over).</p>" in html
