"""The comment threads' markup, byte for byte: comments/threads_html.py writes in Python what
templates/comments/_threads.html and _comment.html used to (issue 22: the threads were close to
half of an article page rendered from nothing). Pinned here so the hand-written HTML cannot drift
from what readers, the Nu checker and axe were given: escaping, <bdi> and dir="auto" around
reader text, the withdrawn placeholder, reply links only while comments are open, the words in
the edition's language through the same msgids."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.template.defaultfilters import linebreaks_filter
from django.test import RequestFactory
from django.utils import translation

from comments.threads_html import paragraphs
from tests.factories import make_article
from tests.factories_comments import make_comment

pytestmark = pytest.mark.django_db

AT = datetime(2026, 3, 5, 9, 7, 30, tzinfo=UTC)


def thread_list(html: str) -> str:
    start = html.index('\n<ol class="comment-list">')
    return html[start : html.rindex("</ol>\n") + len("</ol>\n")]


def render_region(article) -> str:
    request = RequestFactory().get(article.get_absolute_url())
    request.user = AnonymousUser()
    template = Template("{% load comment_tags %}{% comments_region article %}")
    return template.render(Context({"article": article, "request": request}))


def awkward_threads(article):
    first = make_comment(
        article,
        name='<b>Ann & "Bob"</b>',
        body="First line\nsecond <script>x</script> & more\n\nNew 'para'",
        created_at=AT,
    )
    reply = make_comment(
        article, parent=first, name="רות", body="תגובה", created_at=AT + timedelta(minutes=1)
    )
    make_comment(article, parent=first, status="pending", created_at=AT + timedelta(minutes=2))
    gone = make_comment(article, created_at=AT + timedelta(minutes=3))
    gone.withdrawn_at = AT + timedelta(minutes=4)
    gone.save()
    answer = make_comment(
        article, parent=gone, name="Sam", body="Still here", created_at=AT + timedelta(minutes=5)
    )
    return first, reply, gone, answer


def expected(article, first, reply, gone, answer, *, replies_taken, words) -> str:
    withdrawn, reply_word, report_word, date_of = words

    def actions(comment):
        reply_link = (
            f'<a href="/comments/{article.pk}/reply/{comment.pk}/">{reply_word}</a> · '
            if replies_taken
            else ""
        )
        return (
            f'  <p class="comment-actions">{reply_link}<a href="/comments/report/{comment.pk}/" '
            f'rel="nofollow">{report_word}</a></p>\n'
        )

    return (
        '\n<ol class="comment-list">\n  \n  <li class="comment-thread">\n    '
        f'<article class="comment" id="c{first.pk}">\n  \n'
        '  <p class="comment-meta"><bdi class="comment-name">&lt;b&gt;Ann &amp; &quot;Bob&quot;'
        '&lt;/b&gt;</bdi> <time datetime="2026-03-05T09:07:30+00:00">'
        f"{date_of('09:07')}</time></p>\n"
        '  <div class="comment-body" dir="auto"><p>First line<br>second &lt;script&gt;x'
        "&lt;/script&gt; &amp; more</p>\n\n<p>New &#x27;para&#x27;</p></div>\n"
        f"{actions(first)}  \n</article>\n\n    "
        '\n    <ol class="comment-replies">\n      '
        f'<li><article class="comment" id="c{reply.pk}">\n  \n'
        '  <p class="comment-meta"><bdi class="comment-name">רות</bdi> '
        f'<time datetime="2026-03-05T09:08:30+00:00">{date_of("09:08")}</time></p>\n'
        '  <div class="comment-body" dir="auto"><p>תגובה</p></div>\n'
        f"{actions(reply)}  \n</article>\n</li>\n    </ol>\n    \n  </li>\n  "
        '\n  <li class="comment-thread">\n    '
        f'<article class="comment comment-withdrawn" id="c{gone.pk}">\n  \n'
        f'  <p class="comment-body">{withdrawn}</p>\n  \n</article>\n\n    '
        '\n    <ol class="comment-replies">\n      '
        f'<li><article class="comment" id="c{answer.pk}">\n  \n'
        '  <p class="comment-meta"><bdi class="comment-name">Sam</bdi> '
        f'<time datetime="2026-03-05T09:12:30+00:00">{date_of("09:12")}</time></p>\n'
        '  <div class="comment-body" dir="auto"><p>Still here</p></div>\n'
        f"{actions(answer)}  \n</article>\n</li>\n    </ol>\n    \n  </li>\n  \n</ol>\n"
    )


ENGLISH = (
    "This comment was withdrawn by its author.",
    "Reply",
    "Report",
    lambda clock: f"5 Mar 2026, {clock}",
)
HEBREW = (
    "התגובה הוסרה על ידי מי שכתב אותה.",
    "להשיב",
    "דיווח",
    lambda clock: f"5 במרץ 2026, {clock}",
)


def test_the_article_page_threads_are_written_as_the_templates_wrote_them():
    article = make_article()
    comments = awkward_threads(article)
    assert thread_list(render_region(article)) == expected(
        article, *comments, replies_taken=True, words=ENGLISH
    )


def test_a_closed_story_s_threads_have_no_reply_links():
    article = make_article(comments_open=False)
    comments = awkward_threads(article)
    html = render_region(article)
    assert thread_list(html) == expected(article, *comments, replies_taken=False, words=ENGLISH)


def test_the_pages_of_all_comments_write_the_same_threads(client):
    article = make_article()
    comments = awkward_threads(article)
    html = client.get(f"/comments/{article.pk}/").content.decode()
    assert thread_list(html) == expected(article, *comments, replies_taken=True, words=ENGLISH)


def test_the_threads_words_come_from_the_catalogs_under_the_same_msgids():
    article = make_article()
    comments = awkward_threads(article)
    with translation.override("he"):
        html = render_region(article)
    assert thread_list(html) == expected(article, *comments, replies_taken=True, words=HEBREW)


@pytest.mark.parametrize(
    "body",
    [
        "",
        "one line",
        "a\nb\r\nc\rd",
        "\n\nleading and trailing\n\n\n",
        "para\r\n\r\npara\r\r\rthird\n \nsame paragraph",
        "<script>alert('x')</script> & \"quotes\" &amp; already",
        "تعليق\n\nשורה",
    ],
)
def test_a_comments_paragraphs_are_what_the_linebreaks_filter_writes(body):
    assert paragraphs(body) == linebreaks_filter(body, autoescape=True)
