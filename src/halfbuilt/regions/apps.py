from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "halfbuilt.regions"
    verbose_name = "参考数据"
