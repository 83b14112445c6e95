"""The editorial desk on the admin home (articles/editorial/desk.py decides what each user sees)."""

from django import template

from articles.editorial import desk

register = template.Library()


@register.simple_tag(takes_context=True)
def editorial_desk(context) -> dict:
    return desk.desk_for(context["request"].user)
