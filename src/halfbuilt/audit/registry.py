"""Chinese labels for the change log's actions, keys and ways in (`via`), registered by each app in its
AppConfig.ready().

The project timeline and the audit search show `action_label("plan_submit")` → "提交方案" without the
ledger knowing every app that writes to the log.
"""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str] = {}
KEY_LABELS: dict[str, str] = {}
# The administrators' own actions (users, organisations, the security policy): the audit search's "系统管理操作".
ADMIN_ACTIONS: set[str] = set()
# Keys whose values are personal information (core/pii.py kind): stored encrypted, shown masked in histories.
PERSONAL_KEYS: dict[str, str] = {}
# How a change came in (`Actor.via`): the platform's own ways; an app adding one registers its label.
VIA_LABELS: dict[str, str] = {"web": _("网页"), "api": _("接口"), "cli": _("命令行"), "import": _("表格导入")}


def register(
    *, actions: dict[str, str] | None = None, keys: dict[str, str] | None = None, vias: dict[str, str] | None = None,
    admin_actions: set[str] | None = None, personal: dict[str, str] | None = None,
) -> None:
    ACTION_LABELS.update(actions or {})
    ADMIN_ACTIONS.update(admin_actions or ())
    KEY_LABELS.update(keys or {})
    VIA_LABELS.update(vias or {})
    PERSONAL_KEYS.update(personal or {})


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def via_label(via: str) -> str:
    return VIA_LABELS.get(via, via)
