from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "halfbuilt.audit"
    verbose_name = "变更日志"
