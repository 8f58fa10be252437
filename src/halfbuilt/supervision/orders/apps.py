from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "halfbuilt.supervision.orders"
    label = "orders"
    verbose_name = _("挂牌督办")

    def ready(self) -> None:
        from halfbuilt.audit import registry
        from halfbuilt.ledger.panels import register_panel

        from . import reminders  # noqa: F401  (its periodic task)
        from .labels import ACTION_LABELS, KEY_LABELS
        from .panel import project_panel

        registry.register(actions=ACTION_LABELS, keys=KEY_LABELS)
        from .lights import register as register_light_rule

        register_light_rule()
        register_panel(40, "orders/_panel.html", project_panel)
        from halfbuilt.files import owners

        from .evidence import OWNER, evidence_visible_to

        owners.register(OWNER, evidence_visible_to)
