from django.urls import path

from . import views_import, views_orgs, views_security, views_twofactor, views_users

app_name = "administration"
urlpatterns = [
    path("users/", views_users.user_list, name="user_list"),
    path("users/new/", views_users.user_create, name="user_create"),
    path("users/<int:pk>/", views_users.user_detail, name="user_detail"),
    path("users/<int:pk>/roles/", views_users.user_roles, name="user_roles"),
    path("users/<int:pk>/active/", views_users.user_active, name="user_active"),
    path("users/<int:pk>/reset/", views_users.user_reset, name="user_reset"),
    path("users/<int:pk>/unlock/", views_users.user_unlock, name="user_unlock"),
    path("users/import/", views_import.import_upload, name="import_upload"),
    path("users/import/confirm/", views_import.import_confirm, name="import_confirm"),
    path("users/import/template.xlsx", views_import.import_template, name="import_template"),
    path("orgs/", views_orgs.org_list, name="org_list"),
    path("orgs/new/", views_orgs.org_create, name="org_create"),
    path("orgs/<int:pk>/", views_orgs.org_edit, name="org_edit"),
    path("orgs/<int:pk>/active/", views_orgs.org_active, name="org_active"),
    path("security/", views_security.policy_page, name="policy"),
    path("security/events/", views_security.security_events, name="security_events"),
    path("security/two-factor/", views_twofactor.user_list, name="two_factor_users"),
    path("security/two-factor/<int:pk>/reset/", views_twofactor.user_reset, name="two_factor_reset"),
]
