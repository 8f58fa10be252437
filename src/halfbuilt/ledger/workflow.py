"""The ledger status of a project (摸底 → 台账): the department confirms a candidate or rejects it with a reason;
a project is voided with a reason. Performed by the workflow kernel."""

from django.utils.translation import gettext_lazy as _

from halfbuilt.core.errors import ServiceError
from halfbuilt.workflow import Step, Transition, Workflow

from .models import Project, Status

S = Status


def _confirm(source: str) -> Transition:
    return Transition(source, "confirm", S.IN_LEDGER, "confirm", _("纳入台账"), confirm=_("确认将该项目纳入台账？"),
                      done=_("已纳入台账"))


def _void(source: str) -> Transition:
    return Transition(source, "void", S.VOIDED, "void", _("作废"), comment=_("理由"), comment_required=True,
                      confirm=_("确认作废该项目？作废后记录仍保留。"), done=_("已作废"), danger=True)


def _guard(step: Step, comment: str) -> None:
    if step.transition.action == "confirm" and step.obj.department_id is None:
        raise ServiceError(_("该项目的行业主管部门待指定，请先指定主管部门再纳入台账"), field="department")


def _apply(step: Step, comment: str, actor) -> list[str]:
    step.obj.status_reason = comment
    return ["status_reason"]


PROJECT_STATUS = Workflow(
    model=Project,
    noun=_("项目"),
    project_field=None,
    comment_field="reason",
    transitions=[
        _confirm(S.CANDIDATE),
        Transition(S.CANDIDATE, "reject", S.REJECTED, "confirm", _("不予认定"), comment=_("理由"),
                   comment_required=True, confirm=_("确认不予认定该项目？"), done=_("已不予认定"), danger=True),
        _confirm(S.REJECTED),
        _void(S.CANDIDATE),
        _void(S.IN_LEDGER),
        _void(S.REJECTED),
    ],
    guard=_guard,
    apply=_apply,
)
