from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "halfbuilt.api"
    verbose_name = "API"
