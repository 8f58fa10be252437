from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "halfbuilt.audit"
    verbose_name = _("变更日志")

    def ready(self) -> None:
        from . import registry
        from .services import PERSONAL_DATA_VIEW

        # A view of personal information in full, whichever app's record it was (services.record_personal_view).
        registry.register(actions={PERSONAL_DATA_VIEW: _("查看个人信息")}, keys={"fields": _("查看的字段")})
