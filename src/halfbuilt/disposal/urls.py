from django.urls import path

from . import views

app_name = "disposal"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("project/<int:project_pk>/new/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/revise/", views.plan_revise, name="plan_revise"),
    path("<int:pk>/revisions/", views.plan_revisions, name="plan_revisions"),
    path("<int:pk>/plan.docx", views.plan_docx, name="plan_docx"),
    path("<int:pk>/resume/", views.plan_resume, name="plan_resume"),
    path("<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("<int:pk>/procedures/", views.procedure_add, name="procedure_add"),
    path("<int:pk>/<str:action>/", views.plan_action, name="plan_action"),
    path("milestones/<int:pk>/", views.milestone_update, name="milestone_update"),
    path("milestones/<int:pk>/met/", views.milestone_meet, name="milestone_meet"),
    path("procedures/<int:pk>/done/", views.procedure_done, name="procedure_done"),
]
