from django.urls import path

from . import views, views_codes, views_import

app_name = "ledger"
urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("export/", views.project_export, name="project_export"),
    path("count/", views.project_count, name="project_count"),
    path("new/", views.project_create, name="project_create"),
    path("codes/clashes/", views_codes.code_clashes, name="code_clashes"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("<int:pk>/contacts/", views.project_contacts, name="project_contacts"),
    path("<int:pk>/<str:action>/", views.project_transition, name="project_transition"),
    path("import/", views_import.import_upload, name="import_upload"),
    path("import/template.xlsx", views_import.import_template, name="import_template"),
    path("import/<uuid:job_id>/", views_import.import_preview, name="import_preview"),
    path("import/<uuid:job_id>/status.json", views_import.import_status, name="import_status"),
    path("import/<uuid:job_id>/confirm/", views_import.import_confirm, name="import_confirm"),
    path("import/<uuid:job_id>/errors.xlsx", views_import.import_error_report, name="import_error_report"),
]
