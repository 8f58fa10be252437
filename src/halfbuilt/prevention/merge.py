"""Duplicates across submissions (the same work reported by a county and by a department): proposed merges with
their evidence, decided by a person (the office), merged with the full history of both kept.

How a merge keeps history: nothing is deleted. The kept project takes the merged one's values where its own are
blank (one ledger update, logged) and its attachments (moved, logged on both); the merged project is voided through
the ledger's kernel ("与 … 重复，已并入 …") and stays, with its own change log, as a pointer: the merge row names
both and each project's page shows it. A project that already has disposal records (plans, reports, orders …) is
never the merged one: such records are not moved, the person keeps that project instead (or voids by hand).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from halfbuilt.audit.models import ChangeLog
from halfbuilt.audit.services import record_change
from halfbuilt.core.errors import NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.files.models import Attachment
from halfbuilt.ledger import services as ledger_services
from halfbuilt.ledger.models import Project, Stage, Status

from . import reconcile
from .models import MergeProposal, MergeStatus
from .scope import is_office
from .workflow import MERGE_FLOW

THRESHOLD = 0.5
# Fields the kept project takes from the merged one when its own are blank.
FILLED = ["address", "longitude", "latitude", "approval_level", "approval_date", "approval_doc", "owner_unit",
          "owner_uscc", "content", "total_investment", "completed_investment", "funds_in_place", "unpaid_amount",
          "start_date", "stop_date", "completion_date", "causes", "responsible_unit", "responsible_person", "phone"]
# What may follow a project into a merge without being moved: derived or logged rows, and this app's own.
NOT_DISPOSAL = {"lights", "dashboard", "audit", "prevention", "files"}
OPEN = [Status.CANDIDATE, Status.IN_LEDGER]


def _submitted(project: Project) -> dict:
    entry = (ChangeLog.objects.filter(project_id=project.pk, object_type="project", action="create")
             .order_by("id").values("username", "via", "at").first())
    return {"by": entry["username"], "via": entry["via"], "at": entry["at"].isoformat()} if entry else {}


def evidence(a: Project, b: Project, sim: float) -> dict:
    def side(p: Project) -> dict:
        return {"ledger_no": p.ledger_no, "name": p.name, "code": p.project_code, "department": p.department_id or "",
                "total": str(p.total_investment) if p.total_investment is not None else "", "kind": p.kind,
                "start": p.start_date, "stop": p.stop_date, "status": p.status, "submitted": _submitted(p)}

    return {"similarity": sim, "region": a.region_id, "a": side(a), "b": side(b)}


def _keep_first(a: Project, b: Project) -> tuple[Project, Project]:
    """The one further along is kept: in disposal, then in the ledger, then the older."""
    def rank(p: Project) -> tuple:
        return (p.stage == Stage.NONE, p.status != Status.IN_LEDGER, p.created_at, p.pk)

    return (a, b) if rank(a) <= rank(b) else (b, a)


@transaction.atomic
def propose_duplicates(*, actor: Actor, threshold: float = THRESHOLD) -> int:
    """Scan the ledger the office sees for alike names in one region; propose each new pair once. How many."""
    if not is_office(actor.user):
        raise NotAllowed(_("只有领导小组办公室可以查找重复项目"))
    visible = Project.objects.restrict(actor.user, "void").filter(status__in=OPEN)
    pairs = reconcile.similar_pairs(visible, threshold)
    if not pairs:
        return 0
    ids = {pk for a, b, _sim in pairs for pk in (a, b)}
    projects = Project.objects.in_bulk(ids)
    known = {frozenset(p) for p in MergeProposal.objects.values_list("kept_id", "merged_id")}
    made = []
    for a, b, sim in pairs:
        pa, pb = projects[a], projects[b]
        if frozenset((a, b)) in known or (pa.project_code and pb.project_code):
            continue  # two 项目代码 are two works
        kept, merged = _keep_first(pa, pb)
        made.append(MergeProposal(kept=kept, merged=merged, similarity=sim, evidence=evidence(kept, merged, sim)))
    MergeProposal.objects.bulk_create(made)
    for proposal in made:
        record_change(actor=actor, action="merge_propose", obj=proposal, before=None,
                      after={"kept": proposal.kept.ledger_no, "merged": proposal.merged.ledger_no,
                             "similarity": str(proposal.similarity)}, project_id=proposal.kept_id)
    return len(made)


def _disposal_records(project: Project) -> list[str]:
    found = []
    for rel in Project._meta.related_objects:
        model = rel.related_model
        if model._meta.app_label in NOT_DISPOSAL or not rel.field.concrete:
            continue
        if model._default_manager.filter(**{rel.field.name: project}).exists():
            found.append(str(model._meta.verbose_name))
    return found


@transaction.atomic
def merge(*, actor: Actor, proposal: MergeProposal | int, swap: bool = False, comment: str = "",
          version: int | None = None) -> Project:
    """Merge the pair (`swap`: keep the other one); the kept project is returned."""
    pk = proposal.pk if isinstance(proposal, MergeProposal) else proposal
    pair = MergeProposal.objects.restrict(actor.user).filter(pk=pk).values_list("kept_id", "merged_id").first()
    if pair is None:
        raise NotAllowed(_("疑似重复项目不存在，或您无权查看"))
    # The projects first (the kernel's order), lower id first, so two merges never wait on each other.
    locked = {p.pk: p for p in Project.objects.restrict(actor.user, "void").select_for_update()
              .filter(pk__in=pair).order_by("pk")}
    if len(locked) != 2:
        raise NotAllowed(_("疑似重复项目不存在，或您无权查看"))
    step = MERGE_FLOW.begin(actor=actor, obj=pk, action="merge", version=version)
    kept, merged = (locked[pair[1]], locked[pair[0]]) if swap else (locked[pair[0]], locked[pair[1]])
    if merged.status not in OPEN or kept.status not in OPEN:
        raise ServiceError(_("两个项目须都在台账或待核实中才能合并"))
    records = _disposal_records(merged)
    if merged.stage != Stage.NONE or records:
        what = "、".join(records) or merged.get_stage_display()
        raise ServiceError(_("“{name}”已有{what}，不能作为并入项目；请保留该项目").format(name=merged.name, what=what))
    reason = _("与 {kept}（{name}）重复，已并入").format(kept=kept.ledger_no, name=kept.name)
    filled = {f: getattr(merged, f) for f in FILLED if getattr(kept, f) in (None, "") and getattr(merged, f) not in
              (None, "")}
    if merged.project_code and not kept.project_code:  # the code moves: freed first, then taken over
        filled["project_code"] = merged.project_code
        merged = ledger_services.project_update(actor=actor, project=merged, data={"project_code": ""},
                                                version=merged.version, reason=reason)
    if filled:
        kept = ledger_services.project_update(actor=actor, project=kept, data=filled, version=kept.version,
                                              reason=_("并入 {merged}（{name}）").format(merged=merged.ledger_no,
                                                                                   name=merged.name))
    files = list(Attachment.objects.filter(project=merged).values_list("pk", "original_name"))
    if files:
        Attachment.objects.filter(pk__in=[f[0] for f in files]).update(project=kept)
        names = [name for _pk, name in files]
        for project, before, after in ((kept, None, names), (merged, names, None)):
            record_change(actor=actor, action="merge_files", obj=project, before={"attachments": before},
                          after={"attachments": after}, reason=reason, project_id=project.pk,
                          classified=project.classified)
    ledger_services.project_transition(actor=actor, project=merged, action="void", reason=reason)
    obj = step.obj
    before = MERGE_FLOW.snapshot(obj)
    obj.kept, obj.merged, obj.status = kept, merged, MergeStatus.MERGED
    fields = ["kept", "merged", "status", *MERGE_FLOW.apply(step, comment.strip()[:500], actor)]
    MERGE_FLOW.save(obj, fields)
    for project in (kept, merged):
        record_change(actor=actor, action="merge_merge", obj=obj, before=before,
                      after={**MERGE_FLOW.snapshot(obj), "kept": kept.ledger_no, "merged": merged.ledger_no},
                      reason=comment.strip() or reason, project_id=project.pk, classified=project.classified)
    return kept


def dismiss(*, actor: Actor, proposal: MergeProposal | int, comment: str, version: int | None = None):
    return MERGE_FLOW.perform(actor=actor, obj=proposal, action="dismiss", comment=comment, version=version)
