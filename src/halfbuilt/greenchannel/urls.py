from django.urls import path

from . import views

app_name = "greenchannel"
urlpatterns = [
    path("", views.index, name="index"),
    path("ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("procedures/", views.procedures, name="procedures"),
    path("procedures/<str:code>/", views.procedure_edit, name="procedure_edit"),
    path("new/<int:project_id>/", views.file_request, name="file"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/docx/", views.docx, name="docx"),
    path("<int:pk>/review/", views.review, name="review"),
    path("items/<int:pk>/", views.item, name="item"),
    path("items/<int:pk>/complete/", views.complete, name="complete"),
    path("items/<int:pk>/refuse/", views.refuse, name="refuse"),
    path("items/<int:pk>/supply/", views.supply, name="supply"),
    path("items/<int:pk>/<str:action>/", views.item_action, name="item_action"),
]
