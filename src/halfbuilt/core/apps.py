from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "halfbuilt.core"
    verbose_name = "核心"
