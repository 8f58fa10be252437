from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClosureConfig(AppConfig):
    name = "halfbuilt.closure"
    verbose_name = _("销号与回头看")

    def ready(self) -> None:
        from halfbuilt.audit import registry
        from halfbuilt.ledger.panels import register_panel

        from .panel import project_panel
        from .services import ACTION_LABELS, KEY_LABELS

        registry.register(actions=ACTION_LABELS, keys=KEY_LABELS)
        register_panel(30, "closure/_panel.html", project_panel)
