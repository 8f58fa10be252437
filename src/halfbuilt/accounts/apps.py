from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "halfbuilt.accounts"
    verbose_name = _("组织与用户")

    def ready(self) -> None:
        from halfbuilt.audit import registry

        from . import signals  # noqa: F401  (sign-in logging)

        registry.register(actions={"issue_token": _("签发 API 令牌"), "revoke_token": _("吊销 API 令牌")},
                          admin_actions={"issue_token", "revoke_token"})
