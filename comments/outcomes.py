"""What readers are told after they post, edit, withdraw or report a comment."""

SENT_MESSAGE = (
    "The comment was sent successfully. Soon the response will be examined by our editors "
    "and if it is found to be correct it will be published on the website."
)
REPORTED_MESSAGE = "Thank you. A moderator will look at this comment."
# Where a reader lands after posting or reporting: `?comment=<outcome>#comments` on the story,
# a page that is the same for everyone who lands there, so it is cached like the story itself.
OUTCOME_MESSAGES = {
    "sent": SENT_MESSAGE,
    "reported": REPORTED_MESSAGE,
    "edited": "Your comment was changed. A moderator will look at it before it is published.",
    "withdrawn": "Your comment was withdrawn.",
}
