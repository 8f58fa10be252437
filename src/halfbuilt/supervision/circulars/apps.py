from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CircularsConfig(AppConfig):
    name = "halfbuilt.supervision.circulars"
    label = "circulars"
    verbose_name = _("通报")

    def ready(self) -> None:
        from halfbuilt.audit import registry

        from .labels import ACTION_LABELS, KEY_LABELS

        registry.register(actions=ACTION_LABELS, keys=KEY_LABELS)
