from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LightsConfig(AppConfig):
    name = "halfbuilt.supervision.lights"
    label = "lights"
    verbose_name = _("预警亮灯")

    def ready(self) -> None:
        from halfbuilt.audit import registry
        from halfbuilt.audit.signals import projects_changed
        from halfbuilt.ledger.filters import register_column, register_filter
        from halfbuilt.ledger.panels import register_panel

        from .hooks import on_projects_changed
        from .listing import LIGHT_COLUMN, LIGHT_FILTER, REASON_FILTER
        from .panel import light_panel
        from .recompute import LIGHT_ACTION, SYSTEM
        from .rules import register_built_in
        from .services import LABELS

        register_built_in()
        registry.register(
            actions={LIGHT_ACTION: _("亮灯变化"), "lights_settings": _("修改预警规则")},
            keys={"light": _("预警亮灯"), **LABELS},
            vias={SYSTEM.via: _("预警亮灯计算")},
        )
        register_filter(LIGHT_FILTER)
        register_filter(REASON_FILTER)
        register_column(LIGHT_COLUMN)
        register_panel(5, "lights/_panel.html", light_panel)
        projects_changed.connect(on_projects_changed, dispatch_uid="lights_recompute")
