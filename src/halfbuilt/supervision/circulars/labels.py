"""How the change log names the 通报 actions and keys (registered with the audit registry)."""

from django.utils.translation import gettext_lazy as _

from .workflow import CIRCULAR_FLOW

ACTION_LABELS = {
    "circular_create": _("起草通报"),
    "circular_edit": _("修改通报"),
    **CIRCULAR_FLOW.log_labels(),
}
KEY_LABELS = {
    "circular_status": _("通报状态"), "title": _("标题"), "period": _("通报期间"), "opening": _("开头"),
    "findings": _("主要情况"), "requirements": _("工作要求"), "addressees": _("主送"), "top_n": _("红黑榜名额"),
    "ranking": _("红黑榜排名指标"), "public": _("公开"),
}
