import time

import pytest
from django.core.cache import caches
from django.test import Client

from comments.forms import issue_timestamp
from comments.models import BannedWord, Comment
from comments.moderation import banned_words_in, highlight
from tests.factories import make_article
from tests.factories_comments import form_data, make_comment, post_comment

pytestmark = pytest.mark.django_db


def test_a_banned_word_is_flagged_with_the_word_as_written_and_the_comment_stays_pending(client):
    BannedWord.objects.create(word="crétin")
    article = make_article()
    response = post_comment(client, article, body="Only a CRETIN would say that. Cretinous!")
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.flags == {"banned_words": ["CRETIN"]}


def test_banned_words_match_whole_words_ignoring_case_and_accents():
    BannedWord.objects.create(word="idiot")
    BannedWord.objects.create(word="Fake News")
    assert banned_words_in("You ÍDIOT, this is fake   news.") == ["ÍDIOT", "fake   news"]
    assert banned_words_in("Idiotic idiots and fakes") == []


def test_highlight_marks_the_words_and_escapes_the_rest():
    html = highlight("<b>so</b> Idiot!", ["idiot"])
    assert html == "&lt;b&gt;so&lt;/b&gt; <mark>Idiot</mark>!"


def test_too_many_links_are_flagged(client, settings):
    settings.COMMENTS_MAX_LINKS = 2
    article = make_article()
    body = "see https://a.example and http://b.example and www.c.example"
    post_comment(client, article, body=body)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.flags == {"links": 3}


def test_a_duplicate_of_a_recent_comment_is_flagged(client):
    article = make_article()
    make_comment(article, body="Same words again", email="first@example.com")
    post_comment(client, article, body="  same words AGAIN ")
    comment = Comment.objects.latest("pk")
    assert comment.status == Comment.Status.PENDING
    assert comment.flags == {"duplicate": True}


def test_the_same_text_from_the_same_address_on_another_story_is_a_duplicate(client):
    make_comment(make_article(), body="Buy my course", email="ruth@example.com")
    post_comment(client, make_article(), body="Buy my course")
    assert Comment.objects.latest("pk").flags == {"duplicate": True}


def test_a_filled_honeypot_is_stored_as_spam_and_the_bot_sees_the_normal_redirect(client):
    article = make_article()
    response = post_comment(client, article, website="http://spam.example")
    assert response.status_code == 303
    assert response["Location"] == f"{article.get_absolute_url()}?comment=sent#comments"
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert comment.flags == {"honeypot": True}
    assert "honeypot" in comment.moderation_reason


def test_a_form_sent_back_faster_than_the_minimum_is_stored_as_spam(client, settings):
    settings.COMMENTS_MIN_FILL_SECONDS = 3
    article = make_article()
    response = post_comment(client, article, started=issue_timestamp(article.pk, time.time() - 1))
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert comment.flags == {"too_fast": True}


@pytest.mark.parametrize("started", ["", "1700000000", "forged:token"])
def test_a_missing_or_forged_timestamp_counts_as_too_fast(client, started):
    post_comment(client, make_article(), started=started)
    assert Comment.objects.get().flags == {"too_fast": True}


def test_the_minimum_fill_time_is_at_most_three_seconds(settings):
    assert 0 < settings.COMMENTS_MIN_FILL_SECONDS <= 3


def test_a_form_shown_on_the_page_carries_a_working_timestamp(client):
    article = make_article()
    html = client.get(article.get_absolute_url()).content.decode()
    started = html.split('name="started" value="')[1].split('"')[0]
    post_comment(client, article, started=started)
    assert Comment.objects.get().flags == {"too_fast": True}


def test_the_sixth_post_in_a_minute_from_one_address_gets_429_and_is_not_stored(settings):
    settings.COMMENTS_RATE_LIMIT_PER_MINUTE = 5
    article = make_article()
    client = Client()
    for n in range(5):
        response = post_comment(client, article, ip="198.51.100.9", body=f"Comment {n}")
        assert response.status_code == 303
    response = post_comment(client, article, ip="198.51.100.9", body="One too many")
    assert response.status_code == 429
    assert "Please slow down" in response.content.decode()
    assert Comment.objects.count() == 5
    assert not Comment.objects.filter(body="One too many").exists()
    assert post_comment(client, article, ip="198.51.100.10").status_code == 303


def test_the_rate_limit_holds_when_page_copies_evict_everything_in_the_cache(settings):
    """Counted where a cache filling up with page copies cannot evict a count (issue 19, 5)."""
    settings.COMMENTS_RATE_LIMIT_PER_MINUTE = 2
    article = make_article()
    client = Client()
    for n in range(2):
        assert post_comment(client, article, ip="198.51.100.9", body=f"C {n}").status_code == 303
    for alias in settings.CACHES:
        caches[alias].clear()
    assert post_comment(client, article, ip="198.51.100.9", body="Third").status_code == 429


def test_behind_trusted_proxies_the_forwarded_address_is_rate_limited(client, settings):
    settings.COMMENTS_TRUSTED_PROXIES = 1
    settings.COMMENTS_RATE_LIMIT_PER_MINUTE = 1
    article = make_article()
    url = f"/comments/post/{article.pk}/"
    first = client.post(url, form_data(article), HTTP_X_FORWARDED_FOR="192.0.2.1, 192.0.2.50")
    assert first.status_code == 303
    assert Comment.objects.get().ip_address == "192.0.2.50"
    other = client.post(url, form_data(article, body="x"), HTTP_X_FORWARDED_FOR="192.0.2.51")
    assert other.status_code == 303
    again = client.post(url, form_data(article, body="y"), HTTP_X_FORWARDED_FOR="192.0.2.50")
    assert again.status_code == 429
