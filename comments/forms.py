import time
import unicodedata

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from .models import Comment, Report

TIMESTAMP_SALT = "comments.form.started"
HONEYPOT_FIELD = "website"
# Unicode categories refused in a name: controls (newlines, tabs), format characters (bidi
# overrides, zero-width), line and paragraph separators.
FORBIDDEN_IN_NAMES = {"Cc", "Cf", "Zl", "Zp"}
# How long a form's signed time is honoured. Article pages are shared and cached, so the form
# carries the time its page was rendered, not the time this reader opened it: a day covers a
# cached copy and a tab left open overnight, and a bot cannot reuse one token for ever.
TIMESTAMP_MAX_AGE = 24 * 60 * 60
# Plain English, translated where raised: tests compare pages with it.
EXPIRED_MESSAGE = gettext_noop(
    "This page was open too long to send the comment from. It is kept below: please send it again."
)


def at_most(max_length: int) -> str:
    """The body's help text, in the language of the page it is shown on: made with the form, not
    with the class (which Django makes before any page's language is known)."""
    return ngettext("At most %(count)d character.", "At most %(count)d characters.", max_length) % {
        "count": max_length
    }


def issue_timestamp(article_id: int, now: float | None = None) -> str:
    """A signed 'form shown at' time for one story, so a post can prove how long it took."""
    return signing.dumps([article_id, now if now is not None else time.time()], salt=TIMESTAMP_SALT)


class ExpiredTimestamp(Exception):
    pass


def seconds_since(token: str, article_id: int) -> float | None:
    """Seconds since the form was shown, or None when the token is missing, forged or for
    another story. Raises ExpiredTimestamp when it is older than TIMESTAMP_MAX_AGE."""
    try:
        shown_for, started = signing.loads(token, salt=TIMESTAMP_SALT, max_age=TIMESTAMP_MAX_AGE)
    except signing.SignatureExpired:
        raise ExpiredTimestamp from None
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if shown_for != article_id:
        return None
    return time.time() - float(started)


class CommentForm(forms.Form):
    name = forms.CharField(
        max_length=80, label=_("Name"), error_messages={"required": _("Please give your name.")}
    )
    email = forms.EmailField(
        max_length=254,
        label=_("Email"),
        help_text=_("Never published. Moderators may contact you."),
    )
    body = forms.CharField()  # replaced in __init__, where the length limit setting is read
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Anti-spam: a field people never see (bots fill it in) and when the form was shown.
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.seconds_to_fill: float | None = None
        max_length = settings.COMMENTS_MAX_LENGTH
        self.fields["body"] = forms.CharField(
            label=_("Comment"),
            max_length=max_length,
            help_text=at_most(max_length),
            widget=forms.Textarea(attrs={"rows": 6}),
            error_messages={"required": _("Please write a comment.")},
        )
        self.order_fields(["name", "email", "body"])
        if not self.is_bound:
            self.initial.setdefault("started", issue_timestamp(article.pk))

    def clean(self):
        try:
            self.seconds_to_fill = seconds_since(self.data.get("started", ""), self.article.pk)
        except ExpiredTimestamp:
            raise forms.ValidationError(gettext(EXPIRED_MESSAGE), code="expired") from None
        return super().clean()

    @property
    def started_token(self) -> str:
        """The signed time to send back: the one the reader came with while it is valid."""
        token = self.data.get("started", "") if self.is_bound else self.initial["started"]
        try:
            if seconds_since(token, self.article.pk) is not None:
                return token
        except ExpiredTimestamp:
            pass
        return issue_timestamp(self.article.pk)

    def clean_name(self):
        """Refuse line breaks and other control or invisible characters: a name with a newline
        forged lines in the moderators' digest, and bidi overrides disguise what a name says."""
        name = self.cleaned_data["name"]
        if any(unicodedata.category(char) in FORBIDDEN_IN_NAMES for char in name):
            raise forms.ValidationError(
                _("Please write your name on one line, without control characters.")
            )
        return name

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_parent(self):
        """A reply joins the thread of the comment it answers (threads are one level deep)."""
        parent_id = self.cleaned_data.get("parent")
        if not parent_id:
            return None
        parent = (
            Comment.objects.approved()
            .filter(pk=parent_id, article=self.article)
            .select_related("parent")
            .first()
        )
        if parent is None:
            raise forms.ValidationError(_("The comment you are replying to is not available."))
        return parent.parent or parent

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        choices=Report.Reason.choices, widget=forms.RadioSelect, label=_("What is wrong with it?")
    )


class EditForm(forms.Form):
    """The reader's own comment, changed within the time allowed."""

    body = forms.CharField()  # replaced in __init__, where the length limit setting is read

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        max_length = settings.COMMENTS_MAX_LENGTH
        self.fields["body"] = forms.CharField(
            label=_("Your comment"),
            max_length=max_length,
            help_text=at_most(max_length),
            widget=forms.Textarea(attrs={"rows": 6}),
            error_messages={"required": _("Please write a comment, or withdraw it instead.")},
        )
