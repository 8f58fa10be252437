"""Tip-offs: the portal's form and tracking page (/gongkai/report/), the moderators' pages (/tipoffs/) and the
Open311 GeoReport v2 endpoints (/open311/v2/)."""

from django.urls import include, path

from . import open311, views, views_public

app_name = "tipoffs"

moderation = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/link/", views.link, name="link"),
    path("<int:pk>/contacts/", views.contacts, name="contacts"),
    path("<int:pk>/<str:action>/", views.action, name="action"),
    path("photos/<uuid:photo_id>", views.photo, name="photo"),
]
georeport = [
    path("services.json", open311.services_json, name="open311_services"),
    path("requests.json", open311.requests_json, name="open311_requests"),
    path("requests/<str:code>.json", open311.request_json, name="open311_request"),
]

urlpatterns = [
    path("gongkai/report/", views_public.report, name="report"),
    path("gongkai/report/<str:code>/", views_public.track, name="track"),
    path("tipoffs/", include(moderation)),
    path("open311/v2/", include(georeport)),
]
