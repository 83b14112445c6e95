"""What readers are told after they post, edit, withdraw or report a comment.

Marked here, translated where shown (comments/templatetags/comment_tags.py): the English text
itself is the contract (../shared/CONTRACT.md) and what tests compare pages with."""

from django.utils.translation import gettext_noop

SENT_MESSAGE = gettext_noop(
    "The comment was sent successfully. Soon the response will be examined by our editors "
    "and if it is found to be correct it will be published on the website."
)
REPORTED_MESSAGE = gettext_noop("Thank you. A moderator will look at this comment.")
# Where a reader lands after posting or reporting: `?comment=<outcome>#comments` on the story,
# a page that is the same for everyone who lands there, so it is cached like the story itself.
OUTCOME_MESSAGES = {
    "sent": SENT_MESSAGE,
    "reported": REPORTED_MESSAGE,
    "edited": gettext_noop(
        "Your comment was changed. A moderator will look at it before it is published."
    ),
    "withdrawn": gettext_noop("Your comment was withdrawn."),
}
