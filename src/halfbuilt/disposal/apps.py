from django.apps import AppConfig


class DisposalConfig(AppConfig):
    name = "halfbuilt.disposal"
    verbose_name = "处置方案"
