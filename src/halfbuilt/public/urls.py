"""The public portal under /gongkai/ (公开) and the open data under /open-data/: no sign-in; and under /publicity/
the office's and the regions' side of it (signed in)."""

from django.urls import include, path

from . import views, views_office

app_name = "public"

portal = [
    path("", views.home, name="home"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/sign.pdf", views.sign_pdf, name="sign_pdf"),
    path("projects/<int:pk>/sign.png", views.sign_png, name="sign_png"),
    path("map.json", views.map_json, name="map_json"),
    path("photos/<uuid:photo_id>", views.photo, name="photo"),
    path("circulars/", views.circulars, name="circulars"),
    path("circulars/<int:pk>/", views.circular_detail, name="circular_detail"),
    path("stories/", views.stories, name="stories"),
    path("stories/<int:pk>/", views.story_detail, name="story_detail"),
]
open_data = [
    path("", views.open_data, name="open_data"),
    path("oc4ids.json", views.oc4ids_json, name="oc4ids"),
    path("projects.csv", views.projects_csv, name="projects_csv"),
]
# The office's side (signed in): what it publishes.
office = [
    path("", views_office.stories, name="office_stories"),
    path("stories/new/", views_office.story_form, name="story_create"),
    path("stories/<int:pk>/", views_office.story_form, name="story_edit"),
    path("stories/<int:pk>/publish/", views_office.story_publish, name="story_publish"),
    path("photos/<uuid:photo_id>/", views_office.photo_publish, name="photo_publish"),
    path("orders/<int:pk>/", views_office.order_publish, name="order_publish"),
]

urlpatterns = [
    path("gongkai/", include(portal)),
    path("open-data/", include(open_data)),
    path("publicity/", include(office)),
]
