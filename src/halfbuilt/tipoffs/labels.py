"""The change log's words for tip-offs (registered with audit.registry)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "tipoff_receive": _("收到线索举报"),
    "tipoff_accept": _("受理线索（新增待核实项目）"),
    "tipoff_link": _("线索关联已有项目"),
    "tipoff_reject": _("不予受理线索"),
    "tipoff_source": _("项目来源：线索举报"),
}
KEY_LABELS = {
    "tipoff_status": _("线索状态"), "public_answer": _("答复"), "what": _("工程名称或描述"),
    "description": _("情况描述"), "reporter_name": _("反映人姓名"), "reporter_phone": _("联系电话"),
    "photos": _("照片"), "code": _("查询码"), "source": _("来源"),
}
# A tip-off comes in from the portal's form or from the Open311 API, by nobody signed in.
VIA_LABELS = {"portal": _("公开网站"), "open311": _("Open311 接口")}
