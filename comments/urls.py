from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("post/<int:article_id>/", views.post_comment, name="post"),
    path("<int:article_id>/", views.comment_list, name="list"),
    path("<int:article_id>/reply/<int:comment_id>/", views.reply, name="reply"),
    path("report/<int:comment_id>/", views.report, name="report"),
    path("edit/", views.edit_mine, name="edit_mine"),
    path("edit/<str:token>/", views.edit, name="edit"),
]
