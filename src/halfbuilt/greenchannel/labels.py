"""How the change log names the green channel's actions and keys (registered with the audit registry)."""

from django.utils.translation import gettext_lazy as _

from .workflow import ITEM_FLOW, REQUEST_FLOW

ACTION_LABELS = {
    "green_request_file": _("提交绿色通道申请"),
    "green_request_conclude": _("绿色通道申请办结"),
    "green_item_complete": _("绿色通道事项办结"),
    "green_item_refuse": _("绿色通道事项不予办理"),
    "green_item_supply": _("提交补正材料"),
    "green_review": _("登记联审会"),
    "green_procedure_update": _("修改手续办理时限"),
    **REQUEST_FLOW.log_labels(),
    **ITEM_FLOW.log_labels(),
}
KEY_LABELS = {
    "green_request_status": _("申请状态"), "green_item_status": _("事项状态"), "project": _("项目"),
    "filer": _("申请单位"), "note": _("申请说明"), "items": _("事项"), "documents": _("申请材料"),
    "deadline": _("办理期限"), "doc_no": _("批准文号"), "done_on": _("办结日期"), "document": _("批准文件"),
    "refusal_reason": _("不予办理理由"), "legal_basis": _("法律依据"), "supply_note": _("补正说明"),
    "files": _("材料"), "held_on": _("会议日期"), "attendees": _("参会单位及人员"), "conclusions": _("会议结论"),
    "procedure_name": _("手续名称"), "time_limit": _("办理时限（工作日）"), "active": _("启用"),
}
