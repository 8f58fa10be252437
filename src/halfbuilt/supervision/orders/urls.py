from django.urls import path

from . import views

app_name = "orders"
urlpatterns = [
    path("", views.issued, name="issued"),
    path("inbox/", views.inbox, name="inbox"),
    path("all/", views.overview, name="overview"),
    path("new/", views.issue_on_org, name="issue_on_org"),
    path("new/<int:project_id>/", views.issue_on_project, name="issue_on_project"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/docx/", views.docx, name="docx"),
    path("<int:pk>/<str:action>/", views.action, name="action"),
]
