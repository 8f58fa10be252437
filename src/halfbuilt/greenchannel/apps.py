from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GreenChannelConfig(AppConfig):
    name = "halfbuilt.greenchannel"
    label = "greenchannel"
    verbose_name = _("绿色通道")

    def ready(self) -> None:
        from halfbuilt.audit import registry
        from halfbuilt.ledger.panels import register_panel

        from .labels import ACTION_LABELS, KEY_LABELS
        from .lights import register as register_light_rule
        from .panel import project_panel

        registry.register(actions=ACTION_LABELS, keys=KEY_LABELS)
        register_light_rule()
        register_panel(35, "greenchannel/_panel.html", project_panel)
