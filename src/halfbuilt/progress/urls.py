from django.urls import path

from . import views

app_name = "progress"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("project/<int:pk>/", views.history, name="history"),
    path("project/<int:pk>/<str:period>/", views.report_form, name="report_form"),
    path("rollups/", views.rollup_list, name="rollup_list"),
    path("rollups/<int:pk>/", views.rollup_detail, name="rollup_detail"),
    path("rollups/<int:pk>/rollup.docx", views.rollup_docx, name="rollup_docx"),
    path("rollups/<int:pk>/rollup.xlsx", views.rollup_xlsx, name="rollup_xlsx"),
    path("rollups/new/<int:org_id>/<str:period>/", views.rollup_form, name="rollup_form"),
]
