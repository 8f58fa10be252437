from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreventionConfig(AppConfig):
    name = "halfbuilt.prevention"
    label = "prevention"
    verbose_name = _("事前防范与清仓见底")

    def ready(self) -> None:
        from halfbuilt.audit import registry
        from halfbuilt.ledger.panels import register_panel

        from .labels import ACTION_LABELS, KEY_LABELS, VIA_LABELS
        from .panel import project_panel

        registry.register(actions=ACTION_LABELS, keys=KEY_LABELS, vias=VIA_LABELS)
        register_panel(60, "prevention/_panel.html", project_panel)
