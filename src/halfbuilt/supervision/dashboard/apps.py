from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class DashboardConfig(AppConfig):
    name = "halfbuilt.supervision.dashboard"
    label = "dashboard"
    verbose_name = gettext_lazy("调度")

    def ready(self) -> None:
        from halfbuilt.audit.signals import projects_changed

        from . import receivers

        projects_changed.connect(receivers.on_projects_changed, dispatch_uid="dashboard-cube")
