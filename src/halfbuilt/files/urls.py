from django.urls import path

from . import views

app_name = "files"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("project/<int:pk>/upload/", views.upload, name="upload"),
    path("<uuid:id>/", views.download, name="download"),
]
