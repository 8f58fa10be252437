from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "halfbuilt.ledger"
    verbose_name = "台账"

    def ready(self) -> None:
        from halfbuilt.audit import registry

        from .workflow import PROJECT_STATUS

        registry.register(actions={
            "create": "新建", "update": "修改", "import_create": "导入新建", "import_update": "导入更新",
            "import": "导入", "stage": "处置阶段变更", **PROJECT_STATUS.log_labels(),
        }, keys={"stage": "处置阶段"})
