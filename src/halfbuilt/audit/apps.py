from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "halfbuilt.audit"
    verbose_name = _("变更日志")
