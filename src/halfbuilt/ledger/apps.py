from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "halfbuilt.ledger"
    verbose_name = _("台账")

    def ready(self) -> None:
        from halfbuilt.audit import registry

        from .dictionary import PERSONAL
        from .workflow import PROJECT_STATUS

        registry.register(actions={
            "create": _("新建"), "update": _("修改"), "import_create": _("导入新建"), "import_update": _("导入更新"),
            "import": _("导入"), "stage": _("处置阶段变更"),
            **PROJECT_STATUS.log_labels(),
        }, keys={"stage": _("处置阶段")}, personal=PERSONAL)
