"""Paths reversed once (articles/models/paths.py): the same as reverse() gives, for the script
prefix the site is served under at the time, whatever was remembered under another."""

from django.urls import reverse, set_script_prefix

from articles.models.paths import path_of, path_with


def test_a_remembered_path_is_the_one_reverse_gives():
    assert path_of("articles:tag", "economy") == reverse("articles:tag", args=["economy"])
    assert path_of("articles:section", slug="world") == reverse(
        "articles:section", kwargs={"slug": "world"}
    )
    assert path_of("comments:reply", 7, 9) == reverse("comments:reply", args=[7, 9])


def test_a_path_follows_the_script_prefix_it_is_asked_under():
    at_root = path_of("articles:section", slug="world")
    set_script_prefix("/news/")
    try:
        under_news = path_of("articles:section", slug="world")
    finally:
        set_script_prefix("/")

    assert at_root == "/world/"
    assert under_news == "/news/world/"
    assert path_of("articles:section", slug="world") == "/world/"


def test_paths_made_around_one_argument_are_the_ones_reverse_gives():
    slugs = ["ceasefire-talks", "שיחות-הפסקת-אש", "محادثات_وقف", "a1-b2"]
    for section in ("world", "עולם"):
        for slug in slugs:
            assert path_with("articles:article", "slug", slug, section=section) == reverse(
                "articles:article", kwargs={"section": section, "slug": slug}
            )
    set_script_prefix("/news/")
    try:
        assert path_with("articles:section", "slug", "עולם") == reverse(
            "articles:section", kwargs={"slug": "עולם"}
        )
    finally:
        set_script_prefix("/")


def test_a_value_is_quoted_only_where_reverse_would_quote_it():
    """What reverse() leaves as it is stays as it is, however it mixes with what it quotes."""
    for slug in ("a1-b2_c", "ab-שלום", "שלום-ab", "x_٣", "Ⅻ-1", "ﬁ-ligature"):
        assert path_with("articles:tag", "slug", slug) == reverse(
            "articles:tag", kwargs={"slug": slug}
        ), slug
