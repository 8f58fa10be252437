from django.urls import path

from . import views, views_criteria

app_name = "campaign"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("edit/", views.campaign_edit, name="campaign_edit"),
    path("phases/<int:pk>/", views.phase_edit, name="phase_edit"),
    path("targets/<int:pk>/", views.target_edit, name="target_edit"),
    path("filings/", views.filings, name="filings"),
    path("filings/<int:pk>/", views.filing_detail, name="filing_detail"),
    path("filings/<int:pk>/file/", views.filing_file, name="filing_file"),
    path("filings/<int:pk>/<str:action>/", views.filing_action, name="filing_action"),
    path("documents/<uuid:pk>/", views.document, name="document"),
    path("criteria/", views_criteria.criteria_list, name="criteria"),
    path("criteria/<str:code>/", views_criteria.criteria_department, name="criteria_department"),
]
