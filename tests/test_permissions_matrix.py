"""Every admin URL, every admin action and every staff URL, for every role, against one table.

The table is written out by hand (it is the newsroom's policy, not read back from the groups), and
the test walks admin.site._registry: a model registered without a row here, or a custom admin URL
not listed, fails the test, so nothing new slips in unguarded.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from taggit.models import Tag

from articles.models import (
    ApiKey,
    Article,
    ArticleRedirect,
    BreakingBanner,
    Correction,
    FrontPageLayout,
    FrontPageSlot,
    PolicyPage,
)
from comments.models import Ban, BannedWord, Comment
from tests.conftest import PASSWORD
from tests.factories import make_article, make_author, make_photo, make_section
from tests.factories_comments import make_comment

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reporter", "editor", "moderator", "superuser"]
V, A, C, D = "view", "add", "change", "delete"
EDITORIAL = {"reporter": {V}, "editor": {V, A, C, D}}
# What each role may do with each registered model (superusers: everything the admin allows).
POLICY = {
    "articles.article": {"reporter": {V, A, C}, "editor": {V, A, C, D}},
    "articles.photo": {"reporter": {V, A, C}, "editor": {V, A, C, D}},
    "articles.author": EDITORIAL,
    "articles.section": EDITORIAL,
    "taggit.tag": {"reporter": {V, A}, "editor": {V, A, C, D}},
    "articles.articleredirect": {},
    "articles.frontpageslot": {"reporter": {V}, "editor": {V, A, C, D}},
    "articles.correction": {"reporter": {V}, "editor": {V, A, C, D}},
    # Content API keys: editors make, name and revoke them; nobody else sees them.
    "articles.apikey": {"editor": {V, A, C, D}},
    # On every reader page: reporters see them, only editors set them.
    "articles.breakingbanner": {"reporter": {V}, "editor": {V, A, C, D}},
    "articles.policypage": {"reporter": {V}, "editor": {V, A, C, D}},
    # Editors see the queue (to close a story's comments from it); deciding is the moderators'.
    "comments.comment": {"moderator": {V, C}, "editor": {V}},
    "comments.ban": {"moderator": {V, A, C, D}},
    "comments.bannedword": {"moderator": {V, A, C, D}},
    "auth.user": {},
    "auth.group": {},
    "axes.accessattempt": {},
    "axes.accesslog": {},
    "axes.accessfailurelog": {},
    # Staff set up their own second factor on the two-factor screens; here superusers only
    # remove one (a lost phone), never seeing its key.
    "otp_totp.totpdevice": {},
    "otp_static.staticdevice": {},
}
# Models whose admin never adds by hand (records made by the site itself).
NO_ADD = {"articles.articleredirect", "comments.comment", "axes.accessattempt", "axes.accesslog",
          "axes.accessfailurelog"}  # fmt: skip
# Actions each role is offered, per model (superusers: all of them).
ACTIONS = {
    "articles.article": {
        "reporter": {"send_to_review"},
        "editor": {"send_to_review", "publish", "schedule", "unpublish", "delete_selected"},
    },
    "comments.comment": {"moderator": {"approve", "reject", "mark_spam", "ban_email", "ban_ip"}},
    "comments.ban": {"moderator": {"delete_selected"}},
    "comments.bannedword": {"moderator": {"delete_selected"}},
    "taggit.tag": {"editor": {"render_tag_form", "delete_selected"}},
    "articles.photo": {"editor": {"delete_selected"}},
    "articles.author": {"editor": {"delete_selected"}},
    "articles.section": {"editor": {"delete_selected"}},
    "articles.frontpageslot": {"editor": {"delete_selected"}},
    "articles.correction": {"editor": {"delete_selected"}},
    "articles.apikey": {"editor": {"revoke", "delete_selected"}},
    "articles.breakingbanner": {"editor": {"delete_selected"}},
    "articles.policypage": {"editor": {"delete_selected"}},
}
STANDARD_URLS = ("changelist", "add", "change", "delete", "history")
# Admin URLs beyond the standard five, each with a test of its own that covers every role.
CUSTOM_URLS = {
    "auth_user_password_change",  # superusers only: Django's UserAdmin
    "taggit_tag_merge_tags",  # tests/test_publication_guard.py
    "comments_comment_approve", "comments_comment_reject", "comments_comment_spam",  # below
    "comments_comment_keep",  # below
    # tests/test_moderation_queue.py and tests/test_moderation_stats.py
    "comments_comment_stats", "comments_comment_thread", "comments_story_open_close",
    # tests/test_story_versions.py, tests/test_restore_guard.py (and restore and recover below),
    # tests/test_no_lost_edits.py, tests/test_agency_credit_report.py
    "articles_article_compare", "articles_article_lock", "articles_article_revision",
    "articles_article_recover", "articles_article_recoverlist", "articles_photo_agency_credits",
    # django-otp's key and QR code pages: below (closed to everyone: OTP_ADMIN_HIDE_SENSITIVE_DATA)
    "otp_totp_totpdevice_config", "otp_totp_totpdevice_qrcode",
    "articles_photo_original",  # tests/test_private_originals.py
    "articles_article_schedule", "articles_frontpageslot_overview",  # below
    # A live story's entries and coverage: tests/test_live_desk.py (every role)
    "articles_article_entry_add", "articles_article_entry_change", "articles_article_entry_delete",
    "articles_article_entry_approve", "articles_article_coverage",
}  # fmt: skip


def instances() -> dict:
    """One object of every registered model, a draft story's where it matters."""
    section, author, photo = make_section(), make_author(), make_photo()
    article = make_article(status=Article.Status.DRAFT, section=section, authors=[author],
                           lead_photo=photo, tags=["Matrix"])  # fmt: skip
    published = make_article()
    comment = make_comment(published, status=Comment.Status.PENDING)
    device_owner = User.objects.create_user("device-owner")
    attempt = AccessAttempt.objects.create(
        username="x", ip_address="192.0.2.1", user_agent="", path_info="/", failures_since_start=1
    )
    return {
        "articles.article": article,
        "articles.photo": photo,
        "articles.author": author,
        "articles.section": section,
        "taggit.tag": Tag.objects.get(name="Matrix"),
        "articles.articleredirect": ArticleRedirect.objects.create(old_path="/old/", article=published),
        "articles.frontpageslot": FrontPageSlot.objects.create(position=1, article=published),
        "articles.correction": Correction.objects.create(article=published, text="We misspelt a name."),
        "articles.apikey": ApiKey.objects.create_key("Matrix app")[0],
        "articles.breakingbanner": BreakingBanner.objects.create(
            text="Polls close", story=published, expires_at=timezone.now() + timedelta(hours=1)
        ),
        "articles.policypage": PolicyPage.objects.create(
            kind=PolicyPage.Kind.ETHICS_POLICY, title="Ethics", body="<p>We do not lie.</p>"
        ),
        "comments.comment": comment,
        "comments.ban": Ban.objects.create(kind="ip", value="192.0.2.200"),
        "comments.bannedword": BannedWord.objects.create(word="matrixword"),
        "auth.user": User.objects.create_user("someone"),
        "auth.group": Group.objects.get(name="Reporters"),
        "axes.accessattempt": attempt,
        "axes.accesslog": AccessLog.objects.create(username="x", ip_address="192.0.2.1", user_agent=""),
        "axes.accessfailurelog": AccessFailureLog.objects.create(
            username="x", ip_address="192.0.2.1", user_agent="", locked_out=False
        ),
        "otp_totp.totpdevice": TOTPDevice.objects.create(user=device_owner, name="App"),
        "otp_static.staticdevice": StaticDevice.objects.create(user=device_owner, name="Codes"),
    }  # fmt: skip


@pytest.fixture
def clients(reporter, editor, moderator):
    people = {
        "reporter": reporter, "editor": editor, "moderator": moderator,
        "superuser": User.objects.create_superuser("root", "root@example.com", PASSWORD),
    }  # fmt: skip
    result = {"anonymous": Client()}
    for role, user in people.items():
        result[role] = Client()
        result[role].force_login(user)
    return result


def allowed(label: str, role: str) -> set:
    if role == "superuser":
        return {V, A, C, D} - ({A} if label in NO_ADD else set())
    if role == "anonymous":
        return set()
    return POLICY[label].get(role, set()) - ({A} if label in NO_ADD else set())


def expected_status(label, role, url_kind) -> int:
    if role == "anonymous":
        return 302
    ops = allowed(label, role)
    needs = {"changelist": {V, C}, "change": {V, C}, "history": {V, C}, "add": {A}, "delete": {D}}
    return 200 if ops & needs[url_kind] else 403


def test_every_registered_model_has_a_policy_and_every_custom_url_is_known():
    labels = {model._meta.label_lower for model in admin.site._registry}
    assert labels == set(POLICY), "add the new model to POLICY (and think about who may use it)"
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        standard = {f"{info[0]}_{info[1]}_{kind}" for kind in STANDARD_URLS}
        for url in model_admin.get_urls():
            if url.name and url.name not in standard:
                assert url.name in CUSTOM_URLS, f"{url.name}: add it to the matrix"


def test_every_admin_url_answers_each_role_as_the_policy_says(clients):
    objects = instances()
    failures = []
    for model in admin.site._registry:
        label = model._meta.label_lower
        obj = objects[label]
        info = model._meta.app_label, model._meta.model_name
        for kind in STANDARD_URLS:
            args = [] if kind in {"changelist", "add"} else [obj.pk]
            url = reverse(f"admin:{info[0]}_{info[1]}_{kind}", args=args)
            for role in ROLES:
                want = expected_status(label, role, kind)
                response = clients[role].get(url)
                if response.status_code != want:
                    failures.append(f"{role} GET {url}: {response.status_code}, expected {want}")
                elif kind == "change" and want == 200:
                    # The page is a form only for those who may change; read-only for the rest.
                    editable = response.context["has_change_permission"]
                    if editable != (C in allowed(label, role)):
                        failures.append(f"{role} GET {url}: editable={editable}")
    assert failures == []


def offered_actions(client, url) -> set[str]:
    response = client.get(url)
    if response.status_code != 200 or not response.context.get("action_form"):
        return set()
    return {name for name, _ in response.context["action_form"].fields["action"].choices if name}


def test_each_role_is_offered_only_its_actions_and_a_crafted_action_post_changes_nothing(clients):
    objects = instances()
    failures = []
    for model in admin.site._registry:
        label = model._meta.label_lower
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        everything = offered_actions(clients["superuser"], url)
        for role in ("reporter", "editor", "moderator"):
            response = clients[role].get(url)
            offered = set()
            if response.status_code == 200 and response.context.get("action_form"):
                offered = {
                    c for c, _ in response.context["action_form"].fields["action"].choices if c
                }
            want = ACTIONS.get(label, {}).get(role, set())
            if offered != want:
                failures.append(
                    f"{role} offered {sorted(offered)} on {label}, expected {sorted(want)}"
                )
            for action in everything - want:
                before = list(model.objects.order_by("pk").values())
                clients[role].post(
                    url + "?status=all",
                    {"action": action, "_selected_action": [objects[label].pk], "post": "yes"},
                )
                after = list(model.objects.order_by("pk").values())
                if before != after:
                    failures.append(f"{role} ran {action} on {label}")
    assert failures == []


@pytest.mark.parametrize(
    ("role", "want"),
    [
        ("anonymous", 302),
        ("reporter", 200),
        ("editor", 200),
        ("moderator", 403),
        ("superuser", 200),
    ],
)
def test_the_staff_preview_answers_each_role(clients, role, want):
    draft = make_article(status=Article.Status.DRAFT)
    assert clients[role].get(f"/preview/{draft.pk}/").status_code == want


@pytest.mark.parametrize(
    ("role", "want"),
    [
        ("anonymous", 302),
        ("reporter", 403),
        ("editor", 403),
        ("moderator", 302),
        ("superuser", 302),
    ],
)
def test_the_one_click_comment_decisions_answer_each_role(clients, role, want):
    article = make_article()
    for decision in ("approve", "reject", "spam"):
        comment = make_comment(article, status=Comment.Status.PENDING)
        url = reverse(f"admin:comments_comment_{decision}", args=[comment.pk])
        reason = {f"reason-{comment.pk}": "abusive"} if decision == "reject" else {}
        response = clients[role].post(url, {**reason, f"seen-{comment.pk}": "0"})
        assert response.status_code == want, (decision, response.status_code)
        comment.refresh_from_db()
        decided = comment.status != Comment.Status.PENDING
        assert decided == (role in {"moderator", "superuser"})
        if role == "anonymous":
            assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    ("role", "want"),
    [
        ("anonymous", 302),
        ("reporter", 403),
        ("editor", 403),
        ("moderator", 302),
        ("superuser", 302),
    ],
)
def test_keeping_a_reported_comment_answers_each_role(clients, role, want):
    comment = make_comment(make_article(), status=Comment.Status.APPROVED)
    comment.report(reason="abuse", ip_address="192.0.2.9")
    url = reverse("admin:comments_comment_keep", args=[comment.pk])
    response = clients[role].post(url, {f"seen-{comment.pk}": "0"})
    assert response.status_code == want
    kept = comment.decisions.filter(note="Kept after reports.").exists()
    assert kept == (role in {"moderator", "superuser"})
    assert Comment.objects.reported().exists() != kept


@pytest.mark.parametrize(
    ("role", "live_story", "draft_story", "recover"),
    [
        ("anonymous", 302, 302, 302),
        ("reporter", 403, 200, 403),
        ("editor", 200, 200, 200),
        ("moderator", 403, 403, 403),
        ("superuser", 200, 200, 200),
    ],
)
def test_restore_and_recover_answer_each_role(
    clients, editor, role, live_story, draft_story, recover
):
    """Restoring a version of a live story, or recovering a deleted one, is publishing."""
    from reversion.models import Version

    from articles.editorial import revisions

    live, draft = (
        make_article(status=Article.Status.DRAFT),
        make_article(status=Article.Status.DRAFT),
    )
    for story in (live, draft):
        story._save_as_version(editor, "Saved.")
    live.publish(by=editor)
    gone = make_article(status=Article.Status.DRAFT)
    gone._save_as_version(editor, "Saved.")
    gone_pk = gone.pk
    gone.delete()
    deleted = Version.objects.get_deleted(Article).get(object_id=str(gone_pk))

    def restore_url(story):
        version = revisions.versions_of(story.pk)[-1]
        return reverse("admin:articles_article_revision", args=[story.pk, version.pk])

    client = clients[role]
    assert client.get(restore_url(live)).status_code == live_story
    assert client.get(restore_url(draft)).status_code == draft_story
    assert (
        client.get(reverse("admin:articles_article_recover", args=[deleted.pk])).status_code
        == recover
    )
    assert client.get(reverse("admin:articles_article_recoverlist")).status_code == recover


@pytest.mark.parametrize("role", ROLES)
def test_nobody_sees_an_authenticator_key_in_the_admin(clients, role):
    device = TOTPDevice.objects.create(user=User.objects.create_user("phone-owner"), name="App")
    for name in ("otp_totp_totpdevice_config", "otp_totp_totpdevice_qrcode"):
        response = clients[role].get(reverse(f"admin:{name}", args=[device.pk]))
        assert response.status_code == (302 if role == "anonymous" else 403), name


# The two-factor screens: every member of staff manages their own second factor, nobody else's;
# anyone else is sent to log in. (Without a second factor set up, the code page and the changes
# that need one send the user back; tests/test_staff_two_factor.py covers them set up.)
TWO_FACTOR_SCREENS = [
    ("GET", "two_factor", 200),
    ("GET", "two_factor_enrol", 200),
    ("GET", "two_factor_verify", 302),
    ("POST", "two_factor_recovery_codes", 302),
    ("POST", "two_factor_disable", 302),
]


@pytest.mark.parametrize("role", [*ROLES, "reader"])
def test_the_two_factor_screens_answer_each_role(clients, role):
    if role == "reader":  # signed in, not staff
        clients[role] = Client()
        clients[role].force_login(User.objects.create_user("reader", password=PASSWORD))
    for method, name, staff_status in TWO_FACTOR_SCREENS:
        url = reverse(name)
        response = getattr(clients[role], method.lower())(url)
        if role in {"anonymous", "reader"}:
            assert response.status_code == 302, (name, response.status_code)
            assert response["Location"].startswith("/admin/login/"), name
        else:
            assert response.status_code == staff_status, (role, name, response.status_code)
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


@pytest.mark.parametrize(
    ("role", "must_set_up"),
    [("reporter", False), ("editor", True), ("moderator", False), ("superuser", True)],
)
def test_with_two_factor_required_those_who_may_publish_set_it_up_before_any_admin_page(
    clients, settings, role, must_set_up
):
    settings.NEWSROOM_REQUIRE_2FA = True
    draft = make_article(status=Article.Status.DRAFT)
    for url in ("/admin/", reverse("admin:articles_article_changelist"), f"/preview/{draft.pk}/"):
        response = clients[role].get(url)
        if must_set_up and url.startswith("/admin/"):
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("two_factor_enrol")), url
        elif must_set_up:  # elsewhere they count as not signed in
            assert response.status_code == 302 and "/admin/login/" in response["Location"], url
        else:
            assert response.status_code in {200, 403}, url


@pytest.mark.parametrize(
    ("role", "page", "changes"),
    [
        ("anonymous", 302, False),
        ("reporter", 403, False),
        ("editor", 200, True),
        ("moderator", 403, False),
        ("superuser", 200, True),
    ],
)
def test_scheduling_and_publishing_from_the_change_form_answer_each_role(
    clients, role, page, changes
):
    """Only those who may publish schedule or publish a story; the rest change nothing."""
    later = timezone.localtime() + timedelta(days=1)
    to_schedule = make_article(status=Article.Status.REVIEW)
    to_publish = make_article(status=Article.Status.REVIEW)
    client = clients[role]
    url = reverse("admin:articles_article_schedule", args=[to_schedule.pk])

    assert client.get(url).status_code == page
    client.post(url, {"published_at_0": f"{later:%Y-%m-%d}", "published_at_1": f"{later:%H:%M}"})
    client.post(reverse("admin:articles_article_schedule", args=[to_publish.pk]), {"now": "1"})

    to_schedule.refresh_from_db()
    to_publish.refresh_from_db()
    assert to_schedule.is_scheduled == changes
    assert to_publish.is_published == changes


@pytest.mark.parametrize(
    ("role", "page", "changes"),
    [
        ("anonymous", 302, False),
        ("reporter", 200, False),  # sees the front page as it stands, cannot change it
        ("editor", 200, True),
        ("moderator", 403, False),
        ("superuser", 200, True),
    ],
)
def test_the_front_page_overview_answers_each_role(clients, role, page, changes):
    first, second = make_article(), make_article()
    slots = [
        FrontPageSlot.objects.create(position=1, article=first),
        FrontPageSlot.objects.create(position=2, article=second),
    ]
    url = reverse("admin:articles_frontpageslot_overview")

    response = clients[role].get(url)
    clients[role].post(
        url,
        {
            "layout-places": "7",
            "slots-TOTAL_FORMS": "2", "slots-INITIAL_FORMS": "2",
            "slots-0-id": slots[0].pk, "slots-0-position": "2",
            "slots-1-id": slots[1].pk, "slots-1-position": "1",
        },
    )  # fmt: skip

    assert response.status_code == page
    if page == 200:
        assert ('name="slots-0-position"' in response.content.decode()) == changes
    assert FrontPageSlot.objects.get(article=second).position == (1 if changes else 2)
    assert (FrontPageLayout.current().places == 7) == changes
