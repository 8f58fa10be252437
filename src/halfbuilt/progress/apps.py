from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "halfbuilt.progress"
    verbose_name = "按月报送"

    def ready(self) -> None:
        from halfbuilt.audit import registry
        from halfbuilt.ledger.panels import register_panel

        from .panel import progress_panel
        from .services import LABELS

        registry.register(
            actions={"progress_save": "保存月度进展草稿", "progress_submit": "报送月度进展",
                     "rollup_save": "保存月度汇总草稿", "rollup_submit": "报送月度汇总"},
            keys={**{k: v for k, v in LABELS.items() if k != "photos"}, "report_status": "报送状态",
                  "figures": "汇总数据"},
        )
        register_panel(20, "progress/_panel.html", progress_panel)
