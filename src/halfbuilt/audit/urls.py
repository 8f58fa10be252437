from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.changelog_search, name="changelog_search"),
    path("signins/", views.signin_events, name="signin_events"),
]
