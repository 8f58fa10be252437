from django.urls import path

from . import views

app_name = "prevention"
urlpatterns = [
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/new/", views.proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/<str:action>/", views.proposal_action, name="proposal_action"),
    path("rules/", views.rules, name="rules"),
    path("rules/<str:key>/", views.rule_edit, name="rule_edit"),
    path("watch/", views.watch_list, name="watch"),
    path("watch/import/", views.feed_import, name="feed_import"),
    path("watch/flags/<int:pk>/add/", views.flag_add, name="flag_add"),
    path("watch/flags/<int:pk>/dismiss/", views.flag_dismiss, name="flag_dismiss"),
    path("reconcile/", views.reconcile, name="reconcile"),
    path("merges/", views.merge_list, name="merges"),
    path("merges/scan/", views.merge_scan, name="merge_scan"),
    path("merges/<int:pk>/", views.merge_detail, name="merge_detail"),
    path("merges/<int:pk>/merge/", views.merge_do, name="merge_do"),
    path("merges/<int:pk>/<str:action>/", views.merge_action, name="merge_action"),
]
