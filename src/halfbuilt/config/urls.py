from django.contrib.auth import views as auth_views
from django.urls import include, path

from halfbuilt.administration import views_twofactor
from halfbuilt.administration.views_security import password_change
from halfbuilt.api.urls import not_found as api_not_found
from halfbuilt.home import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", views_twofactor.verify, name="two_factor_verify"),
    path("accounts/two-factor/enrol/", views_twofactor.enrol, name="two_factor_enrol"),
    path("password/", password_change, name="password_change"),
    path("administration/", include("halfbuilt.administration.urls")),
    path("ledger/", include("halfbuilt.ledger.urls")),
    path("audit/", include("halfbuilt.audit.urls")),
    path("disposal/", include("halfbuilt.disposal.urls")),
    path("progress/", include("halfbuilt.progress.urls")),
    path("closure/", include("halfbuilt.closure.urls")),
    path("files/", include("halfbuilt.files.urls")),
    path("orders/", include("halfbuilt.supervision.orders.urls")),
    path("green/", include("halfbuilt.greenchannel.urls")),
    path("circulars/", include("halfbuilt.supervision.circulars.urls")),
    path("notifications/", include("halfbuilt.notifications.urls")),
    path("campaign/", include("halfbuilt.campaign.urls")),
    path("lights/", include("halfbuilt.supervision.lights.urls")),
    path("dashboard/", include("halfbuilt.supervision.dashboard.urls")),
    path("prevention/", include("halfbuilt.prevention.urls")),
    path("", include("halfbuilt.public.urls")),  # /gongkai/ (the portal), /open-data/, /publicity/ (the office's)
    path("", include("halfbuilt.tipoffs.urls")),  # /gongkai/report/ (tip-offs), /tipoffs/ (moderation), /open311/
    path("api/v1/", include("halfbuilt.api.urls")),
    path("api/<path:rest>", api_not_found),  # another version, or none: JSON too
    path("api/", api_not_found),
]
