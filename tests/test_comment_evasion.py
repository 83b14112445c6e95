"""The comment checks match what a reader means, not how they spelled it: banned words through
invisible characters, look-alikes and spelled-out letters; bans through address variants and
ranges; and a ban catches the author's waiting comments too."""

import pytest
from django.core import mail

from comments.addresses import canonical_ip, email_key
from comments.models import Ban, BannedWord, Comment
from comments.moderation import banned_words_in, highlight
from tests.factories import make_article
from tests.factories_comments import make_comment, post_comment, seen

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text",
    [
        "what a sca\u00adm",  # soft hyphen
        "what a sc\u200bam",  # zero-width space
        "what a sc\u200dam",  # zero-width joiner
        "what a sc\u2060am",  # word joiner
        "what a \u0455\u0441\u0430m",  # Cyrillic ѕ, с, а
        "what a ＳＣＡＭ",  # fullwidth letters (NFKC)
        "what a s.c.a.m",
        "what a S-C-A-M!",
        "what a s c a m",
        "what a s_c_a_m",
    ],
)
def test_banned_words_are_caught_however_they_are_disguised(text):
    BannedWord.objects.create(word="scam")

    found = banned_words_in(text)

    assert len(found) == 1
    assert "<mark>" in highlight(text, found)


def test_ordinary_words_are_not_caught_by_the_folding():
    BannedWord.objects.create(word="scam")
    BannedWord.objects.create(word="idiot")

    assert banned_words_in("Scampi, a scammer's idiotic s.c. amendment, mosca m.") == []


def test_a_banned_word_with_a_soft_hyphen_is_flagged_on_a_real_post(client):
    BannedWord.objects.create(word="cretin")

    post_comment(client, make_article(), body="You cre\u00adtin.")

    assert list(Comment.objects.get().flags) == ["banned_words"]


@pytest.mark.parametrize(
    ("banned", "sent"),
    [
        ("troll@example.com", "Troll+again@Example.com"),
        ("troll@example.com", "troll+x@example.com"),
        ("troll@gmail.com", "t.r.o.l.l+x@GoogleMail.com"),
        ("t.roll@gmail.com", "troll@gmail.com"),
    ],
)
def test_an_email_ban_catches_case_tags_and_gmail_dots(client, banned, sent):
    Ban.objects.create(kind="email", value=banned)

    post_comment(client, make_article(), email=sent)

    assert Comment.objects.get().status == Comment.Status.SPAM


def test_dots_still_tell_people_apart_outside_gmail(client):
    Ban.objects.create(kind="email", value="jo.e@example.com")

    post_comment(client, make_article(), email="joe@example.com")

    assert Comment.objects.get().status == Comment.Status.PENDING
    assert email_key("Jo.E+news@example.com") == "jo.e@example.com"


def test_an_ipv6_ban_matches_whatever_the_case_or_spelling(client):
    Ban.objects.create(kind="ip", value="2001:DB8:0:0::7")

    post_comment(client, make_article(), ip="2001:db8::7")

    assert Ban.objects.get().value == "2001:db8::7"
    assert Comment.objects.get().status == Comment.Status.SPAM
    assert canonical_ip("::ffff:192.0.2.1") == "192.0.2.1"


@pytest.mark.parametrize(
    ("network", "inside", "outside"),
    [
        ("198.51.100.0/24", "198.51.100.77", "198.51.101.1"),
        ("2001:db8:1::/48", "2001:db8:1::9", "2001:db8:2::9"),
    ],
)
def test_a_range_ban_catches_every_address_in_it(client, network, inside, outside):
    Ban.objects.create(kind="ip", value=network)
    article = make_article()

    post_comment(client, article, ip=inside, body="From inside")
    post_comment(client, article, ip=outside, body="From outside", email="other@example.com")

    assert Comment.objects.get(body="From inside").status == Comment.Status.SPAM
    assert Comment.objects.get(body="From outside").status == Comment.Status.PENDING


def test_the_ban_admin_takes_ranges_and_refuses_ones_that_would_shut_out_everyone(
    moderator_client,
):
    wide = moderator_client.post(
        "/admin/comments/ban/add/", {"kind": "ip", "value": "10.0.0.0/8", "reason": ""}
    )
    assert "This range is too wide" in wide.content.decode()
    ok = moderator_client.post(
        "/admin/comments/ban/add/", {"kind": "ip", "value": "203.0.113.9/24", "reason": ""}
    )
    assert ok.status_code == 302
    assert Ban.objects.get().value == "203.0.113.0/24"


def test_a_ban_from_the_queue_turns_the_authors_waiting_comments_to_spam(moderator_client):
    article = make_article()
    first = make_comment(article, status="pending", email="troll@example.com")
    second = make_comment(article, status="pending", email="Troll+2@example.com")
    kept = make_comment(article, status="approved", email="troll@example.com")
    other = make_comment(article, status="pending", email="ruth@example.com")

    moderator_client.post(
        "/admin/comments/comment/", {"action": "ban_email", "_selected_action": [first.pk]}
    )

    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses[first.pk] == statuses[second.pk] == Comment.Status.SPAM
    assert statuses[kept.pk] == Comment.Status.APPROVED
    assert statuses[other.pk] == Comment.Status.PENDING
    # …so approving all pending comments in bulk cannot publish them.
    moderator_client.post(
        "/admin/comments/comment/",
        {
            "action": "approve",
            "_selected_action": [first.pk, second.pk, other.pk],
            "status": "pending",
            **seen(first, second, other),
        },
    )
    assert Comment.objects.get(pk=other.pk).status == Comment.Status.APPROVED


def test_a_range_ban_added_in_the_admin_catches_waiting_comments_in_the_range(moderator_client):
    article = make_article()
    inside = make_comment(article, status="pending", ip_address="198.51.100.20")
    outside = make_comment(article, status="pending", ip_address="192.0.2.20")

    moderator_client.post(
        "/admin/comments/ban/add/", {"kind": "ip", "value": "198.51.100.0/24", "reason": "bots"}
    )

    assert Comment.objects.get(pk=inside.pk).status == Comment.Status.SPAM
    assert Comment.objects.get(pk=outside.pk).status == Comment.Status.PENDING


@pytest.mark.parametrize(
    "name", ['Ruth\nX on "Fake"', "Ruth\rForged", "Ruth\u202eevil", "Ru\x07th", "Ru\u2028th"]
)
def test_a_name_with_control_characters_is_refused_with_a_clear_error(client, name):
    response = post_comment(client, make_article(), name=name)

    assert response.status_code == 400
    assert (
        "Please write your name on one line, without control characters."
        in response.content.decode()
    )
    assert not Comment.objects.exists()


def test_the_digest_shows_one_line_per_comment(client, settings):
    settings.COMMENTS_NOTIFY_EMAILS = ["desk@example.com"]
    article = make_article(headline="Talks")
    post_comment(client, article, name='Ruth\n- Forged on "Talks" (approved)')
    post_comment(client, article, name="Ruth Reader", body="Fine words", ip="203.0.113.9")

    assert Comment.objects.count() == 1
    assert len(mail.outbox) == 1
    assert "Forged" not in mail.outbox[0].body
    assert mail.outbox[0].body.count("\n- ") == 1
