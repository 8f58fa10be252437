from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class NotificationsConfig(AppConfig):
    name = "halfbuilt.notifications"
    label = "notifications"
    verbose_name = gettext_lazy("通知")

    def ready(self) -> None:
        from halfbuilt.audit.registry import register

        from . import receivers, reminders, services  # noqa: F401  (reminders: its periodic task)

        receivers.connect()
        register(actions=services.LOG_LABELS)
