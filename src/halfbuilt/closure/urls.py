from django.urls import path

from . import views

app_name = "closure"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/<int:project_id>/", views.request_new, name="request_new"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
    path("<int:pk>/<str:action>/", views.request_action, name="request_action"),
    path("samples/", views.sample_list, name="sample_list"),
    path("samples/new/", views.sample_draw, name="sample_draw"),
    path("samples/<int:pk>/", views.sample_detail, name="sample_detail"),
    path("checks/<int:pk>/", views.check_record, name="check_record"),
]
