from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "halfbuilt.demo"
    verbose_name = "演示数据"
