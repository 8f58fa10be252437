from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "halfbuilt.accounts"
    verbose_name = "组织与用户"

    def ready(self) -> None:
        from halfbuilt.audit import registry

        from . import signals  # noqa: F401  (sign-in logging)

        registry.register(actions={"issue_token": "签发 API 令牌", "revoke_token": "吊销 API 令牌"})
