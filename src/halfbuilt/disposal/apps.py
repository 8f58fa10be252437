from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisposalConfig(AppConfig):
    name = "halfbuilt.disposal"
    verbose_name = _("处置方案")

    def ready(self) -> None:
        from halfbuilt.audit import registry
        from halfbuilt.ledger.contacts import PLAN_PERSONAL
        from halfbuilt.ledger.panels import register_panel

        from .services import LOG_ACTIONS, LOG_KEYS
        from .views import panel

        registry.register(actions=LOG_ACTIONS, keys=LOG_KEYS, personal=PLAN_PERSONAL)
        register_panel(10, "disposal/_panel.html", panel)
