from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "halfbuilt.progress"
    verbose_name = _("按月报送")

    def ready(self) -> None:
        from halfbuilt.audit import registry
        from halfbuilt.ledger.panels import register_panel

        from .panel import progress_panel
        from .services import LABELS

        registry.register(  # at start-up, before any request: lazy
            actions={"progress_save": _("保存月度进展草稿"), "progress_submit": _("报送月度进展"),
                     "rollup_save": _("保存月度汇总草稿"), "rollup_submit": _("报送月度汇总")},
            keys={**{k: v for k, v in LABELS.items() if k != "photos"}, "report_status": _("报送状态"),
                  "figures": _("汇总数据")},
        )
        register_panel(20, "progress/_panel.html", progress_panel)
