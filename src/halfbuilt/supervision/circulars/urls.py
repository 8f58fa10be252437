from django.urls import path

from . import views

app_name = "circulars"
urlpatterns = [
    path("", views.listing, name="list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/docx/", views.docx, name="docx"),
    path("<int:pk>/xlsx/", views.xlsx, name="xlsx"),
    path("<int:pk>/<str:action>/", views.action, name="action"),
]
