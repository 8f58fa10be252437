from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "halfbuilt.files"
    verbose_name = "附件"
