"""Hand a finished plan to the ledger's bulk service, which writes it all or nothing (`ledger.bulk`): the
importer reads and checks, the service writes."""

from django.utils.translation import gettext as _

from halfbuilt.core.errors import ServiceError
from halfbuilt.ledger import bulk

from .plan import ImportContext, ImportPlan


class ApplyError(ServiceError):
    pass


def check_submitter(ctx: ImportContext) -> None:
    """Refuse before reading a file what the service would refuse at its first write."""
    bulk.check_importer(actor=ctx.actor, region=ctx.region)


def apply_plan(plan: ImportPlan, ctx: ImportContext, *, batch: str) -> dict:
    """Create and update what a finished plan says, or nothing at all. Returns the counts."""
    if plan.errors:
        raise ApplyError(_("文件有 {count} 处错误，未导入任何数据").format(count=len(plan.errors)))
    bulk.import_projects(actor=ctx.actor, region=ctx.region, batch=batch,
                         creates=[c.values for c in plan.creates], updates=plan.updates)
    return {"rows": plan.rows, "created": len(plan.creates), "updated": len(plan.updates),
            "unchanged": plan.unchanged, "errors": []}
