from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "halfbuilt.supervision.dashboard"
    label = "dashboard"
    verbose_name = "调度"

    def ready(self) -> None:
        from halfbuilt.audit.signals import projects_changed

        from . import cube

        projects_changed.connect(cube.on_projects_changed, dispatch_uid="dashboard-cube")
