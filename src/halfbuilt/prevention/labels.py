"""How the change log names the prevention app's actions, keys and way in (registered with the audit registry)."""

from django.utils.translation import gettext_lazy as _

from .workflow import MERGE_FLOW, PROPOSAL_FLOW

ACTION_LABELS = {
    "proposal_register": _("登记拟建项目"),
    "proposal_resubmit": _("修改后重新报送拟建项目"),
    **PROPOSAL_FLOW.log_labels(),
    "risk_rule_update": _("修改风险规则"),
    "watch_settings_update": _("修改停建预警阈值"),
    "feed_import": _("导入项目进度数据"),
    "flag_add": _("停建预警列入台账"),
    "flag_dismiss": _("排除停建预警"),
    "merge_propose": _("提出疑似重复项目"),
    "merge_merge": _("合并重复项目"),
    "merge_files": _("合并时移交附件"),
    **MERGE_FLOW.log_labels(),
}
KEY_LABELS = {
    "proposal_status": _("拟建项目状态"), "decision_reason": _("决策理由"), "risk_score": _("风险分"),
    "risk_level": _("风险等级"), "funds": _("资金来源"), "fiscal_capacity": _("本级财政可承受出资"),
    "feasibility": _("可行性研究"), "performance": _("事前绩效评估"), "land_ready": _("用地手续"),
    "planning_ready": _("规划许可"), "needs_operation": _("需运营"), "operator": _("运营单位"),
    "running_budget": _("年运营经费"), "planned_start": _("计划开工"), "planned_completion": _("计划竣工"),
    "threshold": _("阈值"), "points": _("风险分"), "template": _("说明模板"), "enabled": _("启用"),
    "no_progress_months": _("无进展（月）"), "overdue_months": _("超过计划竣工（月）"),
    "idle_months": _("竣工未投用（月）"),
    "rows": _("行数"), "flagged": _("预警数"), "as_of": _("数据截至"), "flag_status": _("预警状态"),
    "merge_status": _("合并状态"), "kept": _("保留项目"), "merged": _("并入项目"), "similarity": _("名称相似度"),
    "attachments": _("附件"),
}
VIA_LABELS = {"stall_watch": _("停建预警")}
