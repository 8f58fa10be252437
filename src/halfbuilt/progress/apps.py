from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "halfbuilt.progress"
    verbose_name = "按月报送"
