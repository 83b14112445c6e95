"""The comments' helpers of reader pages, as the Jinja2 templates of templates/reader/ call them
(newsroom/reader_templates.py): the same functions comment_tags gives Django templates."""

from jinja2 import pass_context

from . import comment_tags


@pass_context
def comments_region(context, article):
    return comment_tags.comments_region(context, article)


GLOBALS = {
    "comments_region": comments_region,
    "comment_threads": comment_tags.comment_threads,
}
