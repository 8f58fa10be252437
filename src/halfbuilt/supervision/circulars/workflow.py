"""The 通报 table of the workflow kernel (docs/circulars.md): a draft is edited (a service's write, no button) and
published; a published circular is final — there is no withdrawal. Rights are the circular's own (`own_scope`,
see scope.py): the issuing office's people hold `edit` and `publish`. Publishing numbers the circular, freezes
its figures and tells its addressees, all in the transition's transaction (`publishing.apply`)."""

from django.utils.translation import gettext_lazy as _

from halfbuilt.workflow import Transition, Workflow

from . import publishing
from .models import Circular, CircularStatus

S = CircularStatus


def snapshot(circular: Circular) -> dict:
    return {"circular_status": circular.get_status_display(), "doc_no": circular.doc_no}


CIRCULAR_FLOW = Workflow(
    model=Circular,
    noun=_("通报"),
    project_field=None,
    log_prefix="circular_",
    own_scope=True,
    transitions=[
        Transition(S.DRAFT, "edit", S.DRAFT, "edit", _("修改通报"), button=False),
        Transition(S.DRAFT, "publish", S.PUBLISHED, "publish", _("发布通报"),
                   confirm=_("确认发布？发布后编号、数据冻结，并送达全部主送单位，不能撤回。"),
                   help=_("发布时按发文单位和年度编号，冻结通报数据，并通知全部主送单位。"),
                   done=_("已发布"), log_label=_("发布通报")),
    ],
    guard=publishing.guard,
    apply=publishing.apply,
    snapshot=snapshot,
)
