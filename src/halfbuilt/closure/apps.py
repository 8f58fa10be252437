from django.apps import AppConfig


class ClosureConfig(AppConfig):
    name = "halfbuilt.closure"
    verbose_name = "销号与回头看"
