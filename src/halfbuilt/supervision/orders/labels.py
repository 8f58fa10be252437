"""How the change log names the 督办 actions and keys (registered with the audit registry)."""

from django.utils.translation import gettext_lazy as _

from .workflow import ORDER_FLOW

ACTION_LABELS = {
    "order_issue": _("下达督办"),
    "order_reply": _("回复督办"),
    **ORDER_FLOW.log_labels(),
}
KEY_LABELS = {
    "order_status": _("督办状态"), "doc_no": _("文号"), "target": _("督办对象"), "addressee": _("主送"),
    "reason": _("督办事由"), "requirements": _("工作要求"), "deadline": _("回复期限"), "listed": _("挂牌"),
    "measures": _("整改措施"), "evidence": _("证明材料"),
}
