"""Chinese labels for the change log's actions and keys, registered by each app in its AppConfig.ready().

The project timeline and the audit search show `action_label("plan_submit")` → "提交方案" without the
ledger knowing every app that writes to the log.
"""

ACTION_LABELS: dict[str, str] = {}
KEY_LABELS: dict[str, str] = {}


def register(*, actions: dict[str, str] | None = None, keys: dict[str, str] | None = None) -> None:
    ACTION_LABELS.update(actions or {})
    KEY_LABELS.update(keys or {})


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)
