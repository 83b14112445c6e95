"""/api/v1/ (CONTRACT.md): the content API, its OpenAPI schema and the staff's reference."""

from django.contrib.admin.views.decorators import staff_member_required
from django.urls import path

from . import docs, views

app_name = "api"

urlpatterns = [
    path("stories/", views.StoryList.as_view(), name="stories"),
    path("stories/<int:pk>/", views.StoryDetail.as_view(), name="story"),
    path("sections/", views.SectionList.as_view(), name="sections"),
    path("topics/", views.TopicList.as_view(), name="topics"),
    path("authors/", views.AuthorList.as_view(), name="authors"),
    path("corrections/", views.CorrectionList.as_view(), name="corrections"),
    path("photos/", views.PhotoList.as_view(), name="photos"),
    path("photos/<int:pk>/", views.PhotoDetail.as_view(), name="photo"),
    path("front-page/", views.FrontPage.as_view(), name="front_page"),
    path("schema/", docs.Schema.as_view(), name="schema"),
    path(
        "docs/", staff_member_required(docs.Reference.as_view(url_name="api:schema")), name="docs"
    ),
]
