"""THE public selector: what of the campaign anyone may see, without signing in.

It is the counterpart of `Project.objects.restrict(user, action)` for a visitor who is nobody: every public page,
the map's data, the 公示牌 and the open data read projects through `public_projects()` only, and never hand a
model instance to a template or a serializer — they get a `PublicProject`, built from the whitelist below, so a
field that is not on it (people, phones, internal comments, reviewers, a person's USCC) cannot leave by mistake.

Public: projects confirmed into the ledger (已入账) that are not classified (涉密). Never: candidates still to be
confirmed (待核实), rejected (不予认定) and voided (已作废) projects, classified ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from halfbuilt.disposal.models import Method, Milestone, Plan, PlanStatus
from halfbuilt.files.models import Attachment, AttachmentKind
from halfbuilt.ledger.models import Kind, Project, Stage, Status
from halfbuilt.progress.models import ProgressReport, ReportStatus
from halfbuilt.regions.models import Category, Region
from halfbuilt.supervision.circulars.models import Circular
from halfbuilt.supervision.circulars.states import CircularStatus
from halfbuilt.supervision.orders.models import SupervisionOrder

from .models import PublishedPhoto, Story

# The project's columns that may leave the government, and nothing else. Absent on purpose: responsible_person,
# phone, responsible_unit (free text), causes (free text written for the office), status_reason, high_impact_reason,
# approval_doc, funds and debts (unpaid_amount), version; owner_unit / owner_uscc only for a public body (below).
PROJECT_FIELDS = (
    "id", "ledger_no", "project_code", "name", "region_id", "prefecture_id", "address", "longitude", "latitude",
    "category_id", "department_id", "kind", "content", "total_investment", "completed_investment", "start_date",
    "stop_date", "completion_date", "stage", "owner_unit", "owner_uscc", "created_at", "updated_at",
)
# GB 32100: a USCC's first character is its registering authority; 1 is 机构编制 (government bodies and public
# institutions, never a person). Owners registered elsewhere (9: market regulation, which also registers 个体工商户,
# i.e. persons) are not named.
PUBLIC_BODY_USCC = "1"


def public_projects() -> QuerySet[Project]:
    """Every project the public may see, with only the whitelisted columns loaded."""
    return Project.objects.filter(status=Status.IN_LEDGER, classified=False).only(*PROJECT_FIELDS)


def public_q(prefix: str = "") -> Q:
    """The same rule over a relation (`prefix` "project__"), for photos, orders and stories."""
    return Q(**{f"{prefix}status": Status.IN_LEDGER, f"{prefix}classified": False})


@dataclass(frozen=True)
class PublicMilestone:
    title: str
    due_date: date
    met_date: date | None

    @property
    def met(self) -> bool:
        return self.met_date is not None


@dataclass(frozen=True)
class PublicReport:
    period: str
    progress: str
    physical_progress: Decimal


@dataclass(frozen=True)
class PublicPhoto:
    id: str
    caption: str
    taken_at: object
    published_at: object


@dataclass(frozen=True)
class PublicProject:
    """A project as the public sees it. Built only by `describe`, from the whitelist."""

    id: int
    ledger_no: str
    project_code: str
    name: str
    region_code: str
    region_name: str
    prefecture_code: str
    prefecture_name: str
    address: str
    longitude: Decimal | None
    latitude: Decimal | None
    category_code: str
    category_name: str
    kind: str
    kind_label: str
    content: str
    owner_unit: str
    owner_uscc: str
    total_investment: Decimal | None
    completed_investment: Decimal | None
    start_date: str
    stop_date: str
    completion_date: str
    stage: str
    stage_label: str
    updated_at: object
    method: str = ""
    method_label: str = ""
    planned_completion: date | None = None
    milestones: tuple[PublicMilestone, ...] = ()
    last_report: PublicReport | None = None
    photos: tuple[PublicPhoto, ...] = field(default=())

    @property
    def completion_ratio(self) -> Decimal | None:
        if self.total_investment and self.completed_investment is not None:
            return (self.completed_investment / self.total_investment * 100).quantize(Decimal("0.1"))
        return None

    @property
    def progress(self) -> Decimal | None:
        """形象进度 of the last monthly report, the investment's share otherwise."""
        return self.last_report.physical_progress if self.last_report else self.completion_ratio


def _regions(codes: set[str]) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}


def _categories(codes: set[str]) -> dict[str, str]:
    return dict(Category.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}


def describe(projects: list[Project], *, detail: bool = False) -> list[PublicProject]:
    """The public view of `projects` (read through `public_projects()`): names looked up in a few queries; the plan
    (confirmed only), the last submitted report, and with `detail` the milestones and the published photos."""
    if not projects:
        return []
    ids = [p.pk for p in projects]
    regions = _regions({p.region_id for p in projects} | {p.prefecture_id for p in projects if p.prefecture_id})
    categories = _categories({p.category_id for p in projects})
    plans = plan_facts(ids, detail=detail)
    reports = last_reports(ids)
    photos = published_photos(ids) if detail else {}
    kinds, stages, methods = dict(Kind.choices), dict(Stage.choices), dict(Method.choices)
    made = []
    for p in projects:
        public_owner = p.owner_uscc.startswith(PUBLIC_BODY_USCC)
        method, deadline, milestones = plans.get(p.pk, ("", None, ()))
        made.append(PublicProject(
            id=p.pk, ledger_no=p.ledger_no, project_code=p.project_code, name=p.name,
            region_code=p.region_id, region_name=regions.get(p.region_id, p.region_id),
            prefecture_code=p.prefecture_id or "", prefecture_name=regions.get(p.prefecture_id or "", ""),
            address=p.address, longitude=p.longitude, latitude=p.latitude,
            category_code=p.category_id, category_name=categories.get(p.category_id, p.category_id),
            kind=p.kind, kind_label=str(kinds.get(p.kind, p.kind)), content=p.content,
            owner_unit=p.owner_unit if public_owner else "", owner_uscc=p.owner_uscc if public_owner else "",
            total_investment=p.total_investment, completed_investment=p.completed_investment,
            start_date=p.start_date, stop_date=p.stop_date, completion_date=p.completion_date,
            stage=p.stage, stage_label=str(stages.get(p.stage, p.stage)), updated_at=p.updated_at,
            method=method, method_label=str(methods.get(method, "")) if method else "",
            planned_completion=deadline, milestones=milestones, last_report=reports.get(p.pk),
            photos=photos.get(p.pk, ()),
        ))
    return made


def plan_facts(ids: list[int], *, detail: bool) -> dict[int, tuple[str, date | None, tuple[PublicMilestone, ...]]]:
    """Per project: its confirmed plan's method, deadline and (with `detail`) milestones. A plan still in review
    is the government's draft: nothing of it is public."""
    plans = Plan.objects.filter(project_id__in=ids, status=PlanStatus.CONFIRMED).only(
        "id", "project_id", "method", "deadline")
    if detail:
        plans = plans.prefetch_related(Prefetch("milestones", Milestone.objects.only(
            "id", "plan_id", "title", "due_date", "met_date")))
    found = {}
    for plan in plans:
        milestones = tuple(PublicMilestone(m.title, m.due_date, m.met_date)
                           for m in plan.milestones.all()) if detail else ()
        found[plan.project_id] = (plan.method, plan.deadline, milestones)
    return found


def last_reports(ids: list[int]) -> dict[int, PublicReport]:
    """Each project's latest submitted monthly report (a draft is not public)."""
    found: dict[int, PublicReport] = {}
    rows = (ProgressReport.objects.filter(project_id__in=ids, status=ReportStatus.SUBMITTED)
            .order_by("project_id", "-period").values_list("project_id", "period", "progress", "physical_progress"))
    for project_id, period, progress, physical in rows:
        found.setdefault(project_id, PublicReport(period, progress, physical))
    return found


def published_photos(ids: list[int]) -> dict[int, tuple[PublicPhoto, ...]]:
    found: dict[int, list[PublicPhoto]] = {}
    for pub in (PublishedPhoto.objects.filter(attachment__project_id__in=ids)
                .select_related("attachment").only("caption", "published_at", "attachment__id",
                                                   "attachment__project_id", "attachment__taken_at")
                .order_by("published_at")):
        a = pub.attachment
        found.setdefault(a.project_id, []).append(PublicPhoto(str(a.pk), pub.caption, a.taken_at, pub.published_at))
    return {k: tuple(v) for k, v in found.items()}


def public_project(pk: int) -> PublicProject | None:
    project = public_projects().filter(pk=pk).first()
    return describe([project], detail=True)[0] if project else None


def public_photo(photo_id) -> Attachment | None:
    """A published photo of a public project (the file to serve), or None."""
    return (Attachment.objects.filter(public_q("project__"), pk=photo_id, kind=AttachmentKind.PHOTO,
                                      publication__isnull=False).only("id", "file", "content_type").first())


# --- circulars, orders, stories -----------------------------------------------------------------------------

@dataclass(frozen=True)
class PublicCircular:
    id: int
    doc_no: str
    title: str
    published_at: object
    opening: str
    findings: str
    requirements: str


def public_circulars() -> list[PublicCircular]:
    """Published 通报 the office marked public (their text is the office's, written for publication)."""
    rows = (Circular.objects.filter(public=True, status=CircularStatus.PUBLISHED).order_by("-published_at")
            .values_list("id", "doc_no", "title", "published_at", "opening", "findings", "requirements"))
    return [PublicCircular(*row) for row in rows]


def public_circular(pk: int) -> PublicCircular | None:
    return next((c for c in public_circulars() if c.id == pk), None)


@dataclass(frozen=True)
class PublicOrder:
    doc_no: str
    project_id: int
    project_name: str
    issued_on: date
    reason: str
    status_label: str
    listed: bool


def public_orders(project_id: int | None = None) -> list[PublicOrder]:
    """挂牌督办 the office marked public, on public projects only."""
    orders = SupervisionOrder.objects.filter(public_q("project__"), publication__isnull=False)
    if project_id is not None:
        orders = orders.filter(project_id=project_id)
    labels = dict(SupervisionOrder._meta.get_field("status").choices)
    return [PublicOrder(doc_no, pid, name, issued, reason, str(labels.get(status, status)), listed)
            for doc_no, pid, name, issued, reason, status, listed in orders.order_by("-issued_on", "-id").values_list(
                "doc_no", "project_id", "project__name", "issued_on", "reason", "status", "listed")]


def published_stories(kind: str | None = None) -> QuerySet[Story]:
    """Published stories; one about a project that is no longer public (voided, say) is withdrawn with it."""
    stories = Story.objects.filter(published=True).filter(Q(project__isnull=True) | public_q("project__"))
    return stories.filter(kind=kind) if kind else stories


def story_photo_ids(story: Story) -> set[str]:
    return {str(i) for i in (story.before_photo_id, story.after_photo_id) if i}


def public_story_photo(photo_id) -> Attachment | None:
    """A photo shown by a published story (the office chose it for publication)."""
    stories = published_stories().filter(Q(before_photo_id=photo_id) | Q(after_photo_id=photo_id))
    if not stories.exists():
        return None
    return Attachment.objects.filter(pk=photo_id, kind=AttachmentKind.PHOTO).only("id", "file", "content_type").first()
