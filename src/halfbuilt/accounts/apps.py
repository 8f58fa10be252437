from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "halfbuilt.accounts"
    verbose_name = "组织与用户"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (sign-in logging)
