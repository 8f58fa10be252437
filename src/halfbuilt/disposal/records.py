"""A plan as data: its record (kept in revisions, returned by the API) and its change-log form."""

from halfbuilt.core import crypto
from halfbuilt.ledger.contacts import PLAN_PERSONAL

from . import methods
from .models import Plan

# The plan's parts that a draft may set; `method` and `facts` go together.
COMMON_FIELDS = [
    "introduction", "problems", "method", "measures", "lead_unit", "responsible_person", "responsible_phone",
    "cooperating_units", "deadline", "leader_in_charge",
]


def plan_record(plan: Plan) -> dict:
    """The plan as JSON (codes, ISO dates): kept in revisions and returned by the API."""
    return {
        **{f: getattr(plan, f) for f in COMMON_FIELDS},
        "deadline": plan.deadline.isoformat() if plan.deadline else None,
        "facts": plan.facts,
        "status": plan.status,
        "review_comment": plan.review_comment,
        "revision": plan.revision,
    }


def log_snapshot(plan: Plan) -> dict:
    """The plan for the change log: Chinese labels for choices, facts flattened to `facts.<key>`, the contact
    encrypted as in the table."""
    data = {f: getattr(plan, f) for f in COMMON_FIELDS}
    data["method"] = plan.get_method_display()
    data["deadline"] = plan.deadline.isoformat() if plan.deadline else None
    data["status"] = plan.get_status_display()
    data["revision"] = plan.revision
    rules = methods.METHODS.get(plan.method)
    for key, value in (plan.facts or {}).items():
        field = next((f for f in rules.fields if f.key == key), None) if rules else None
        if field is not None and field.kind == "choice" and value:
            value = field.choice_label(value)
        elif isinstance(value, list):
            value = "、".join(value)
        data[f"facts.{key}"] = value
    return crypto.seal(data, PLAN_PERSONAL)
