from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "halfbuilt.ledger"
    verbose_name = "台账"

    def ready(self) -> None:
        from halfbuilt.audit import registry

        from .services import ACTION_LABELS

        registry.register(actions={
            "create": "新建", "update": "修改", "import_create": "导入新建", "import_update": "导入更新",
            "import": "导入", "stage": "处置阶段变更", **ACTION_LABELS,
        }, keys={"stage": "处置阶段"})
