"""The one choke point for authorization of projects.

`project_filter(user, action)` turns a user's role assignments into one `Q`; every list, detail, count,
export, search, chart and API call goes through `Project.objects.restrict(user, action)`.
Scope comes from the project's region, competent department and responsible unit, never from who
created it. A user's scope is the union of their roles'. No role, no rows (default deny).

Classified (涉密) projects are visible only to their owning department line; to everyone else they do
not exist (404), and appear at most in aggregate counts.
"""

from django.apps import apps
from django.db.models import Q, QuerySet

from halfbuilt.regions.models import Region, RegionLevel

from .models import Role, RoleAssignment

NOTHING = Q(pk__in=[])

# Which roles may do what to the projects in their scope (listed for integrators in docs/api.md).
ACTIONS: dict[str, set[str]] = {
    "view": {Role.OFFICE, Role.DEPARTMENT, Role.REGION, Role.UNIT, Role.AUTHORITY},
    "change": {Role.OFFICE, Role.DEPARTMENT, Role.REGION},
    "confirm": {Role.OFFICE, Role.DEPARTMENT},
    "void": {Role.OFFICE, Role.DEPARTMENT, Role.REGION},
    # Disposal (issue: 一项目一方案, 按月报送, 销号, 回头看): the unit drafts and reports (its region may act for
    # it), the competent department reviews, the office confirms and closes.
    "plan_draft": {Role.UNIT, Role.REGION},
    "plan_review": {Role.DEPARTMENT},
    "plan_confirm": {Role.OFFICE},
    "report": {Role.UNIT, Role.REGION},
    "closure_request": {Role.UNIT, Role.REGION},
    "closure_review": {Role.DEPARTMENT},
    "close": {Role.OFFICE},
    "followup": {Role.OFFICE},
    # 督办 (issue 7 §4): the office on any project it sees, a department on its field within its region.
    "supervise": {Role.OFFICE, Role.DEPARTMENT},
    # The campaign (部署阶段): not actions on projects; the campaign app's managers say on which of its objects.
    "campaign_configure": {Role.OFFICE},  # phases, dates, targets, scope rule
    "campaign_file": {Role.DEPARTMENT, Role.REGION},  # file the department's or the region's 实施方案
    "campaign_review": {Role.OFFICE},  # accept or return a 实施方案
    "criteria_record": {Role.DEPARTMENT},  # the line's 本行业"半拉子"工程标准
    # Supervision: the warning lights' rules (预警规则) are the office's to set.
    "lights_configure": {Role.OFFICE},
    # Whose home page shows the warning lights of its projects (an authority's projects are not its work).
    "warnings": {Role.OFFICE, Role.DEPARTMENT, Role.REGION, Role.UNIT},
    # 绿色通道 (issue 10): the unit (or its region) files a request, the office or the region convenes a 联审会,
    # the office keeps the procedures' reference table. Authorities act on their items (the app's own scope).
    "green_file": {Role.UNIT, Role.REGION},
    "green_convene": {Role.OFFICE, Role.REGION},
    "green_configure": {Role.OFFICE},
    # The dashboard (调度): its figures over the user's scope; a unit has its home page instead.
    "dashboard": {Role.OFFICE, Role.DEPARTMENT, Role.REGION},
    # Prevention and discovery (issue 11): register a proposed project (a department or a region), decide on it and
    # set the risk rules (the office); the stall watch and the merges of duplicates (the office); reconcile a list
    # against the ledger the user sees. Not actions on projects: the prevention app's managers say on which objects.
    "prevention_propose": {Role.OFFICE, Role.DEPARTMENT, Role.REGION},
    "prevention_decide": {Role.OFFICE},
    "prevention_watch": {Role.OFFICE},
    "reconcile": {Role.OFFICE, Role.DEPARTMENT, Role.REGION},
    # The public portal (issue 9): a project's photos are released to it by the office or its region; the news,
    # 盘活案例 and which 挂牌督办 are public are the office's (not an action on projects).
    "publish": {Role.OFFICE, Role.REGION},
    "publicity": {Role.OFFICE},
}
# Actions of ACTIONS that grant nothing on projects (project_filter answers none for them).
NOT_ON_PROJECTS = {"campaign_configure", "campaign_file", "campaign_review", "criteria_record", "prevention_propose",
                   "prevention_decide", "prevention_watch", "reconcile", "green_configure", "publicity"}
# Classified projects are cleared by their owning department itself (work plan §三: 涉密项目由各行业主管部门
# 自行起底): nobody else can see them, so for those the department also does the unit's, the region's and the
# office's part. 回头看 samples are drawn by the office and never include them.
CLASSIFIED_SELF_SERVICE = {"plan_draft", "plan_confirm", "report", "closure_request", "close"}

# Who may put new projects into a region (submit the ledger, by form or import).
SUBMIT_ROLES = {Role.OFFICE, Role.DEPARTMENT, Role.REGION}


def region_q(region: Region, prefix: str = "") -> Q:
    """Projects located in `region`'s subtree."""
    if region.level == RegionLevel.PROVINCE:
        return Q()
    if region.level == RegionLevel.PREFECTURE:
        return Q(**{f"{prefix}prefecture_id": region.code})
    return Q(**{f"{prefix}region_id": region.code})


def assignments(user) -> list[RoleAssignment]:
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_scope_assignments", None)
    if cached is None:
        cached = list(user.role_assignments.select_related("organization__region"))
        user._scope_assignments = cached
    return cached


def _grant(assignment: RoleAssignment) -> Q:
    org = assignment.organization
    not_classified = Q(classified=False)
    match assignment.role:
        case Role.OFFICE:
            return not_classified
        case Role.DEPARTMENT:
            if org.department_id is None:
                return NOTHING
            # The owning department line sees its classified projects too.
            return Q(department_id=org.department_id) & region_q(org.region)
        case Role.REGION:
            return region_q(org.region) & not_classified
        case Role.UNIT:
            return Q(responsible_org_id=org.pk) & not_classified
        case Role.AUTHORITY:
            # The projects of the green-channel items addressed to it (the registry: greenchannel sits above).
            items = apps.get_model("greenchannel", "Item").objects.filter(authority_id=org.pk)
            return Q(pk__in=items.values("project_id")) & not_classified
    return NOTHING


def project_filter(user, action: str = "view", *, exclude_roles: frozenset[str] = frozenset()) -> Q:
    """`exclude_roles`: leave out those roles' grants (the green channel's item scope reads the project roles
    alone, since an authority sees only its own items of a project)."""
    allowed_roles = set() if action in NOT_ON_PROJECTS else ACTIONS.get(action, set())
    result = NOTHING
    for assignment in assignments(user):
        if assignment.role in exclude_roles:
            continue
        if assignment.role in allowed_roles:
            result |= _grant(assignment)
        elif assignment.role == Role.DEPARTMENT and action in CLASSIFIED_SELF_SERVICE:
            result |= _grant(assignment) & Q(classified=True)
    return result


def sees_every_unclassified(user, action: str) -> bool:
    """Whether `project_filter(user, action)` selects exactly the unclassified projects (the office's scope): a
    role grants all of them, and no department role adds its line's classified ones."""
    allowed_roles = set() if action in NOT_ON_PROJECTS else ACTIONS.get(action, set())
    whole = False
    for assignment in assignments(user):
        if assignment.role == Role.DEPARTMENT and assignment.organization.department_id is not None and (
                assignment.role in allowed_roles or action in CLASSIFIED_SELF_SERVICE):
            return False
        if assignment.role in allowed_roles and _grant(assignment) == Q(classified=False):
            whole = True
    return whole


def holds_action(user, action: str) -> bool:
    """Whether any of the user's roles carries `action` on some project (for queues and menus)."""
    for assignment in assignments(user):
        if assignment.role in ACTIONS.get(action, set()):
            return True
        if assignment.role == Role.DEPARTMENT and action in CLASSIFIED_SELF_SERVICE:
            return True
    return False


def submit_regions_q(user) -> Q:
    """Regions the user may submit projects in (a Q over Region)."""
    result = Q(pk__in=[])
    for assignment in assignments(user):
        if assignment.role not in SUBMIT_ROLES:
            continue
        region = assignment.organization.region
        if region.level == RegionLevel.PROVINCE:
            return Q()
        if region.level == RegionLevel.PREFECTURE:
            result |= Q(code=region.code) | Q(parent_id=region.code)
        else:
            result |= Q(code=region.code)
    return result


def can_submit_in(user, region: Region) -> bool:
    return Region.objects.filter(submit_regions_q(user), code=region.code).exists()


def submit_departments(user) -> set[str] | None:
    """Department lines a department-role submitter is bound to; None when any department is allowed."""
    lines: set[str] = set()
    for assignment in assignments(user):
        if assignment.role in (Role.OFFICE, Role.REGION):
            return None
        if assignment.role == Role.DEPARTMENT and assignment.organization.department_id:
            lines.add(assignment.organization.department_id)
    return lines


def carries(user, action: str) -> bool:
    """Whether one of the user's roles carries `action` itself (not only for its own classified projects)."""
    return any(a.role in ACTIONS.get(action, set()) for a in assignments(user))


def region_within(region: Region, acting: Region) -> bool:
    """Whether `region` lies in `acting`'s subtree (the Python twin of `region_q`): a submitter acting for a
    league or city files for its counties too."""
    return (acting.level == RegionLevel.PROVINCE or region.code == acting.code
            or (acting.level == RegionLevel.PREFECTURE and region.parent_id == acting.code))


# The importer's questions. `user` None is the office acting from the command line, which has no account: it may
# import into any region, for any department line, and change what the office may change.

def may_import_in(user, region: Region) -> bool:
    return user is None or can_submit_in(user, region)


def import_departments(user) -> set[str] | None:
    """Department lines an import's projects must belong to; None when any (see `submit_departments`)."""
    return None if user is None else submit_departments(user)


def classified_lines(user) -> set[str]:
    """Department lines whose classified projects the user may file: only a department's own (涉密项目由各行业
    主管部门自行起底), never the office's, a region's or a unit's."""
    return {a.organization.department_id for a in assignments(user)
            if a.role == Role.DEPARTMENT and a.organization.department_id}


def visible_to(user) -> Q:
    """Projects the user sees (None: the office acting from the command line, which sees every unclassified)."""
    return Q(classified=False) if user is None else project_filter(user, "view")


def changeable_in(user, region: Region) -> Q:
    """Projects the user may change (an import's updates) within `region`'s subtree."""
    allowed = Q(classified=False) if user is None else project_filter(user, "change")  # None: the office's grant
    return allowed & region_q(region)


def can_read_audit(user) -> bool:
    return any(a.role == Role.AUDITOR for a in assignments(user))


def can_administer(user) -> bool:
    """Organisations and users (系统管理员)."""
    return any(a.role == Role.SYSADMIN for a in assignments(user))


def can_secure(user) -> bool:
    """The security policy and the security events (安全管理员)."""
    return any(a.role == Role.SECADMIN for a in assignments(user))


class ProjectScopedQuerySet(QuerySet):
    """Rows that belong to a project (plans, milestones, reports, closure requests, attachments, change-log
    entries …): a user sees them, and acts on them, exactly as on their project. `project_path` leads there."""

    project_path = "project"

    def restrict(self, user, action: str = "view") -> "ProjectScopedQuerySet":
        # The registry, not an import: the ledger's models import this module.
        projects = apps.get_model("ledger", "Project").objects.restrict(user, action)
        return self.filter(**{f"{self.project_path}__in": projects.values("pk")})


def project_scoped(path: str = "project"):
    """A manager whose `restrict(user, action)` follows `path` to the project's selector."""
    name = "ScopedBy" + "".join(part.title() for part in path.split("__"))
    return type(name, (ProjectScopedQuerySet,), {"project_path": path}).as_manager()
