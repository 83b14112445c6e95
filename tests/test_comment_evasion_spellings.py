"""Bans and banned words hold against other spellings of the same thing: a quoted local part or
a punycode domain for a banned address, spaced-out letters, one letter a line, small capitals
and Greek or Cyrillic look-alikes for a banned word; ordinary words stay unflagged."""

import pytest

from comments.models import Ban, BannedWord, Comment
from comments.moderation import banned_words_in, highlight
from tests.factories import make_article
from tests.factories_comments import make_comment, post_comment

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("banned", "sent"),
    [
        ("troll@example.com", '"troll"@example.com'),
        ("troll@example.com", '"Troll+again"@Example.com'),
        ('"troll"@example.com', "troll@example.com"),
        ("troll@gmail.com", '"t.r.o.l.l"@googlemail.com'),
    ],
)
def test_an_email_ban_catches_the_address_with_its_local_part_in_quotes(client, banned, sent):
    Ban.objects.create(kind="email", value=banned)

    response = post_comment(client, make_article(), email=sent)

    assert response.status_code == 303  # stored, and the reader sent back to the story
    assert Comment.objects.get().status == Comment.Status.SPAM


@pytest.mark.parametrize(
    ("banned", "sent"),
    [
        ("troll@exämple.com", "troll@xn--exmple-cua.com"),
        ("troll@xn--exmple-cua.com", "troll@exämple.com"),
        ("troll@EXÄMPLE.com", "Troll+x@XN--EXMPLE-CUA.com"),
        ("troll@xn--exmple-cua.com", "troll@EXÄMPLE.com"),
    ],
)
def test_an_email_ban_on_an_international_domain_catches_it_in_punycode_and_back(
    client, banned, sent
):
    Ban.objects.create(kind="email", value=banned)

    response = post_comment(client, make_article(), email=sent)

    assert response.status_code == 303  # stored, and the reader sent back to the story
    assert Comment.objects.get().status == Comment.Status.SPAM


def test_a_ban_from_the_queue_catches_waiting_comments_under_every_spelling(moderator_client):
    article = make_article()
    first = make_comment(article, status="pending", email="troll@xn--exmple-cua.com")
    unicode = make_comment(article, status="pending", email="Troll@exämple.com")
    quoted = make_comment(article, status="pending", email='"troll"@exämple.com')
    other = make_comment(article, status="pending", email="troll@example.com")

    moderator_client.post(
        "/admin/comments/comment/", {"action": "ban_email", "_selected_action": [first.pk]}
    )

    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses[first.pk] == statuses[unicode.pk] == statuses[quoted.pk] == "spam"
    assert statuses[other.pk] == Comment.Status.PENDING


@pytest.mark.parametrize(
    ("banned", "sent"),
    [
        ("troll@exämple.com", "troll@example.com"),  # another domain, not a spelling of it
        ("troll@example.com", '"trolls"@example.com'),
        ("troll@example.com", '"troll"@example.org'),
    ],
)
def test_an_email_ban_leaves_other_addresses_alone(client, banned, sent):
    Ban.objects.create(kind="email", value=banned)

    post_comment(client, make_article(), email=sent)

    assert Comment.objects.get().status == Comment.Status.PENDING


@pytest.mark.parametrize(
    "text",
    [
        "what a \ua731cam",  # small capital S
        "what a \ua731\u1d04\u1d00\u1d0d",  # small capitals throughout
        "what a \u0455\u03f2\u0430m",  # Cyrillic ѕ, Greek lunate sigma, Cyrillic а
        "WHAT A \u0405\u0421\u0391\u039c",  # Cyrillic Ѕ, С, Greek Α, Μ
        "what a s  c  a  m",
        "what a s   c \u00a0 a\tm",
        "what a s . c . a . m",
        "what a\ns\nc\na\nm\n",
        "what a\r\ns\r\n\r\nc\r\n\r\na\r\n\r\nm",
    ],
)
def test_banned_words_are_caught_however_else_they_are_disguised(text):
    BannedWord.objects.create(word="scam")

    found = banned_words_in(text)

    assert len(found) == 1
    assert "<mark>" in highlight(text, found)


def test_a_banned_word_in_small_capitals_is_flagged_on_a_real_post(client):
    BannedWord.objects.create(word="scam")

    post_comment(client, make_article(), body="This is a \ua731\u1d04\u1d00\u1d0d.")

    comment = Comment.objects.get()
    assert comment.flags == {"banned_words": ["\ua731\u1d04\u1d00\u1d0d"]}


def test_a_banned_word_spelled_one_letter_a_line_is_flagged_on_a_real_post(client):
    BannedWord.objects.create(word="scam")

    post_comment(client, make_article(), body="Look:\r\ns\r\nc\r\na\r\nm")

    assert list(Comment.objects.get().flags) == ["banned_words"]


@pytest.mark.parametrize(
    "text",
    [
        "Scampi for dinner",
        "\ua731campi for dinner",  # a longer word in small capitals is still another word
        "\u0455\u03f2\u0430mpi for dinner",
        "s is for sun\nc is for cat\na m",  # letters with words between them are not one word
        "Plan s, then c, a m",  # commas do not spell out
    ],
)
def test_ordinary_words_stay_unflagged_under_the_wider_folding(text):
    BannedWord.objects.create(word="scam")

    assert banned_words_in(text) == []
