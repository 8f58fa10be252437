from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.page, name="page"),
    path("export.xlsx", views.export_xlsx, name="export"),
    path("schedule.xlsx", views.schedule_xlsx, name="schedule_xlsx"),
    path("schedule.docx", views.schedule_docx, name="schedule_docx"),
    path("screen/", views.screen_page, name="screen"),
    path("screen.json", views.screen_json, name="screen_json"),
]
