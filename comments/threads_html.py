"""A story's comment threads as HTML, for the article page's region and the pages of all comments.

Written here in Python rather than in a template included once per comment: the threads were
close to half of an article page rendered from nothing, most of it Django's template machinery
(resolving the included template, pushing its context, the `{% url %}` and filter lookups) run
again for each of dozens of comments. What is the same for every comment (the words, the shape
of the reply and report links) is worked out once per render; each comment then costs a few
string joins. The markup is byte for byte what the templates wrote, and the words keep their
msgids, so the catalogs' translations are the ones readers already had.
"""

import html
import re

from django.utils import formats, timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from articles.models.paths import path_around
from articles.public.seo import w3c_datetime
from articles.templatetags.site_tags import DATE_FORMATS, date_writer

# A stand-in comment id, reversed once and replaced by each comment's id: one reverse() per page
# rather than two per comment. Both URLs take it as an <int:…>, so it stays as written; a number
# no article id will contain, so the URL splits in two around it.
_ANY_ID = 2147483647
_LINE_ENDS = re.compile(r"\r\n|\r")
_PARAGRAPH_BREAKS = re.compile(r"\n{2,}")


def paragraphs(text: str) -> str:
    """A comment's text as the `linebreaks` filter writes it (escaped, a <p> for each paragraph,
    <br> for each line break), without the filter's lazy-text wrappers, which cost more than the
    writing itself on a page of comments."""
    text = _LINE_ENDS.sub("\n", text)
    return "\n\n".join(
        "<p>" + html.escape(part).replace("\n", "<br>") + "</p>"
        for part in _PARAGRAPH_BREAKS.split(text)
    )


def _url_around_id(name: str, *args) -> tuple[str, str]:
    """The escaped URL `name` reverses to with `args` and a comment's id last, as the text
    before and after that id."""
    before, after = path_around(name, _ANY_ID, *args, _ANY_ID)
    return conditional_escape(before), conditional_escape(after)


class _Writer:
    """What every comment of one render shares: the words in the active language, whether
    replies are taken, and the reply and report links around a comment's id."""

    def __init__(self, article, is_open: bool):
        self.is_open = is_open
        self.withdrawn = conditional_escape(gettext("This comment was withdrawn by its author."))
        self.reply_word = conditional_escape(gettext("Reply"))
        self.report_word = conditional_escape(gettext("Report"))
        self.reply_url = _url_around_id("comments:reply", article.pk)
        self.report_url = _url_around_id("comments:report")
        # `|edition_date:"j M Y, H:i"` with the edition's format and the current time zone looked
        # up once, not per comment.
        self.write_date = date_writer(formats.get_format(str(DATE_FORMATS["j M Y, H:i"])))
        self.zone = timezone.get_current_timezone()

    def comment(self, comment) -> str:
        pk = str(comment.pk)
        if comment.withdrawn_at:
            return (
                f'<article class="comment comment-withdrawn" id="c{pk}">\n  \n'
                f'  <p class="comment-body">{self.withdrawn}</p>\n  \n</article>\n'
            )
        created = comment.created_at
        reply = (
            f'<a href="{self.reply_url[0]}{pk}{self.reply_url[1]}">{self.reply_word}</a> · '
            if self.is_open
            else ""
        )
        return (
            f'<article class="comment" id="c{pk}">\n  \n'
            f'  <p class="comment-meta"><bdi class="comment-name">{conditional_escape(comment.name)}'
            f'</bdi> <time datetime="{conditional_escape(w3c_datetime(created))}">'
            f"{conditional_escape(self.write_date(created.astimezone(self.zone)))}"
            "</time></p>\n"
            f'  <div class="comment-body" dir="auto">'
            f"{paragraphs(comment.body)}</div>\n"
            f'  <p class="comment-actions">{reply}<a href="{self.report_url[0]}{pk}'
            f'{self.report_url[1]}" rel="nofollow">{self.report_word}</a></p>\n  \n</article>\n'
        )

    def thread(self, comment) -> str:
        replies = comment.shown_replies
        if replies:
            inner = "".join(f"<li>{self.comment(reply)}</li>" for reply in replies)
            replies_html = f'\n    <ol class="comment-replies">\n      {inner}\n    </ol>\n    '
        else:
            replies_html = ""
        return (
            f'\n  <li class="comment-thread">\n    {self.comment(comment)}\n    '
            f"{replies_html}\n  </li>\n  "
        )


def threads_html(article, threads, is_open: bool) -> SafeString:
    """`threads` (top-level comments with their `shown_replies`, as
    Comment.objects.threads_for() gives them) as an ordered list of threads, replies nested;
    a reply link on each comment when `is_open`."""
    threads = list(threads)
    if not threads:
        return mark_safe("\n")
    writer = _Writer(article, is_open)
    body = "".join(writer.thread(thread) for thread in threads)
    return mark_safe(f'\n<ol class="comment-list">\n  {body}\n</ol>\n\n')
