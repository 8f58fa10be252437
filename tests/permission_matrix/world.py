"""The matrix's world and the states its rows start from.

The world is tests/world.py's (organizations, one user per role, the in_scope / elsewhere / classified
projects), built once per test module inside a transaction that is rolled back at the module's end. Each test
runs in a savepoint inside it, where its row's state adds what the request needs (a plan in some status, a
closure request, a sample, attachments…) — for all three projects at once, so that listings have something to
leave out. A state returns {object kind: the ids its addresses are formatted with}.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone

from tests import world as base

from .grid import CLASSIFIED, ELSEWHERE, IN_SCOPE, NONE, State

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Roll-ups of a region or department are submitted by it for itself; these are each role's organization.
OWN_ORGANIZATION = {role: org for role, (_, org, _) in base.USER_ROLES.items()}


def today() -> dt.date:
    return timezone.localdate()


def days_from_today(days: int) -> str:
    return (today() + dt.timedelta(days=days)).isoformat()


def past_period() -> str:
    from halfbuilt.progress import periods

    return periods.shift(periods.current_period(), -2)


def this_period() -> str:
    from halfbuilt.progress import periods

    return periods.current_period()


@dataclass
class World:
    users: dict  # role → User
    orgs: dict  # key → Organization
    projects: dict  # kind → project pk
    sessions: dict  # role → the key of a session signed in as the role's user

    def client(self, role: str) -> Client:
        """A browser signed in as `role` (anonymous: not signed in), on a session the module made once."""
        client = Client()
        if role != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client

    def own_org(self, role: str) -> int:
        """The organization where the role's user holds the role (0 for anonymous: no such organization)."""
        return self.orgs[OWN_ORGANIZATION[role]].pk if role in OWN_ORGANIZATION else 0


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    from halfbuilt.accounts.models import RoleAssignment, User

    def make_user(role, org, username):
        user = User.objects.create_user(username, password=None)  # force_login signs in; no hashing
        RoleAssignment.objects.create(user=user, role=role, organization=org)
        return user

    def signed_in(user) -> str:
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    with django_db_blocker.unblock(), transaction.atomic():
        orgs = base.organizations()
        users = base.users(orgs, make_user)
        built = World(
            users=users, orgs=orgs, projects={kind: p.pk for kind, p in base.projects(orgs).items()},
            sessions={role: signed_in(user) for role, user in users.items()},
        )
        yield built
        transaction.set_rollback(True)


# --- helpers --------------------------------------------------------------------------------------------------

def _move(world: World, **fields) -> None:
    from halfbuilt.ledger.models import Project

    Project.objects.filter(pk__in=world.projects.values()).update(**fields)


def _each(world: World, make) -> dict:
    """{kind: make(kind, project pk)} for the three projects, and nothing for rows without an object."""
    return {NONE: {}, **{kind: {"project": pk, **make(kind, pk)} for kind, pk in world.projects.items()}}


def evidence_row(world: World, project_pk: int, name: str = "竣工验收证书.pdf"):
    """An evidence attachment's row, as if uploaded earlier (no file behind it: nothing downloads it)."""
    from halfbuilt.files.models import Attachment

    return Attachment.objects.create(
        project_id=project_pk, kind="evidence", file=f"attachments/{name}", original_name=name,
        content_type="application/pdf", size=64, sha256="0" * 64, uploaded_by=world.users["office"],
    )


# --- states ---------------------------------------------------------------------------------------------------

def _nothing(world):
    return {NONE: {}}


def _candidates(world):
    from halfbuilt.ledger.models import Project

    versions = dict(Project.objects.filter(pk__in=world.projects.values()).values_list("pk", "version"))
    return _each(world, lambda kind, pk: {"version": versions[pk]})


def _in_ledger(world):
    _move(world, status="in_ledger")
    return _candidates(world)


def _disposing(world):
    _move(world, status="in_ledger", stage="disposing")
    return _each(world, lambda kind, pk: {"evidence": str(evidence_row(world, pk).pk)})


def _changes(world):
    """Each project confirmed into the ledger through the service, so the change log holds an entry for it (the
    classified one by its department: nobody else may)."""
    from halfbuilt.core.request_context import Actor
    from halfbuilt.ledger import services
    from halfbuilt.ledger.models import Project

    for kind, pk in world.projects.items():
        user = world.users["department_gat" if kind == CLASSIFIED else "office"]
        services.project_transition(actor=Actor(user=user), project=Project.objects.get(pk=pk), action="confirm")
    return _each(world, lambda kind, pk: {})


def _dashboard(world):
    """The projects in the ledger, and the dashboard's cube rebuilt from them (the move above bypassed the
    services, whose commits refresh it)."""
    from halfbuilt.supervision.dashboard import cube

    _move(world, status="in_ledger")
    cube.rebuild()
    return _each(world, lambda kind, pk: {})


NOTHING = State("no object", _nothing, kinds=(NONE,))
DASHBOARD = State("projects in the ledger, counted by the dashboard", _dashboard)
CHANGES = State("change log entries", _changes)
CANDIDATES = State("candidate projects", _candidates)
IN_LEDGER = State("projects in the ledger", _in_ledger)
DISPOSING = State("projects being disposed of", _disposing)

RESUME_FACTS = {
    "appraisal_date": "2025-03-01", "appraisal_agency": "某检测中心", "appraisal_conclusion": "qualified",
    "authority_confirmed_by": "东河区住建局", "authority_confirmed_date": "2025-03-10",
    "continuing_entity": "某建设集团", "committed_completion_date": "2026-09-30",
}
DEFAULT_FACTS = {
    "procedures": {"central_approval_needed": False},
    "resume": RESUME_FACTS,
    "revitalise": {"route": "debt_restructuring", "new_funds": "100", "funds_source": "专项债券"},
}


def plan(status: str, method: str = "revitalise") -> State:
    """A plan in `status` for each project (its stage as that status implies), written straight to the table."""

    def setup(world):
        from halfbuilt.disposal.methods import clean_facts
        from halfbuilt.disposal.models import Plan

        _move(world, status="in_ledger", stage="disposing" if status == "confirmed" else "planning")

        def make(kind, pk):
            made = Plan.objects.create(
                project_id=pk, method=method, lead_unit="东河区教育局", responsible_person="张三",
                deadline=today() + dt.timedelta(days=365), facts=clean_facts(method, DEFAULT_FACTS[method]),
                status=status,
            )
            return {"plan": made.pk, "version": made.version}

        return _each(world, make)

    return State(f"{method} plan {status}", setup)


def _milestone(world):
    from halfbuilt.disposal.models import Milestone

    plans = plan("confirmed").setup(world)
    for kind, ids in plans.items():
        if kind == NONE:
            continue
        made = Milestone.objects.create(plan_id=ids["plan"], title="原节点", due_date=dt.date(2025, 6, 30))
        ids.update(milestone=made.pk, evidence=str(evidence_row(world, ids["project"]).pk))
    return plans


def _procedure(world):
    from halfbuilt.disposal.models import Procedure

    plans = plan("confirmed", "procedures").setup(world)
    for kind, ids in plans.items():
        if kind == NONE:
            continue
        ids["procedure"] = Procedure.objects.create(plan_id=ids["plan"], kind="fire_acceptance").pk
    return plans


MILESTONE = State("confirmed plan with a milestone", _milestone)
PROCEDURE = State("confirmed 完善手续 plan with a procedure", _procedure)


def closure(status: str) -> State:
    """A closure request in `status` for each project, with its evidence (made directly: nobody may request
    one for a classified project but its department, and states are not under test here)."""

    def setup(world):
        from halfbuilt.closure.models import ClosureRequest

        _move(world, status="in_ledger", stage="closing")

        def make(kind, pk):
            made = ClosureRequest.objects.create(
                project_id=pk, outcome="in_use", outcome_date=today() - dt.timedelta(days=1),
                description="已投入使用", requested_by="unit_school", status=status,
            )
            made.evidence.set([evidence_row(world, pk)])
            return {"closure": made.pk}

        return _each(world, make)

    return State(f"closure request {status}", setup)


def _closed(world):
    _move(world, status="in_ledger", stage="closed")
    return _each(world, lambda kind, pk: {})


def _sample(world):
    """A 回头看 sample with a pending check on each project (the classified one as if classified after the draw)."""
    from halfbuilt.closure.models import FollowUpCheck, FollowUpSample

    _move(world, status="in_ledger", stage="closed")
    drawn = FollowUpSample.objects.create(drawn_by=world.users["office"], share="1", population=3, seed="matrix",
                                          population_ids=sorted(world.projects.values()))
    made = _each(world, lambda kind, pk: {
        "sample": drawn.pk, "check": FollowUpCheck.objects.create(sample=drawn, project_id=pk).pk})
    made[NONE] = {"sample": drawn.pk}
    return made


CLOSED = State("closed projects", _closed)
SAMPLE = State("a 回头看 sample", _sample)


def _reports(world):
    """A submitted report for the month before last on each project being disposed of."""
    from halfbuilt.progress.models import ProgressReport

    _move(world, status="in_ledger", stage="disposing")
    return _each(world, lambda kind, pk: {"report": ProgressReport.objects.create(
        project_id=pk, period=past_period(), progress="按计划推进", physical_progress=Decimal("10"),
        investment_month=Decimal("5"), investment_cumulative=Decimal("405"), new_funds=Decimal("0"),
        status="submitted", submitted_at=timezone.now(), submitted_by="matrix").pk})


def _rollups(world):
    """The month before last's roll-ups of Baotou's government (in_scope) and Chifeng's (elsewhere)."""
    from halfbuilt.progress.models import Rollup

    made = {NONE: {}}
    for kind, org in ((IN_SCOPE, "region"), (ELSEWHERE, "chifeng")):
        rollup = Rollup.objects.create(
            organization=world.orgs[org], period=past_period(), progress=f"{world.orgs[org].name}进展",
            status="submitted", submitted_at=timezone.now(), figures={"due": 1})
        made[kind] = {"rollup": rollup.pk, "org": world.orgs[org].pk}
    return made


REPORTS = State("monthly reports", _reports)


def _lit(world):
    """The three projects in the ledger without a plan, past the plan phase's deadline (2022-10-31): red lights."""
    from halfbuilt.supervision.lights.recompute import recompute

    _move(world, status="in_ledger")
    recompute()
    return _candidates(world)


LIT = State("projects with red lights", _lit)
ROLLUPS = State("roll-ups", _rollups, kinds=(NONE, IN_SCOPE, ELSEWHERE))
# Whose upload each project's attachment is: the office's two, the public security department's classified one.
UPLOADER = {IN_SCOPE: "office", ELSEWHERE: "office", CLASSIFIED: "department_gat"}


def _attachments(world):
    from halfbuilt.core.request_context import Actor
    from halfbuilt.files.services import store_upload
    from halfbuilt.ledger.models import Project

    def make(kind, pk):
        stored = store_upload(actor=Actor(user=world.users[UPLOADER[kind]]), project=Project.objects.get(pk=pk),
                              upload=SimpleUploadedFile(f"{kind}.pdf", PDF), kind="evidence")
        return {"attachment": str(stored.pk), "name": f"{kind}.pdf"}

    return _each(world, make)


ATTACHMENTS = State("attachments", _attachments)


def _unclaimed_attachment(world):
    """A file stored without a project that no aggregate claims (nothing links it): default deny."""
    from halfbuilt.core.request_context import Actor
    from halfbuilt.files.services import store_upload

    stored = store_upload(actor=Actor(user=world.users["office"]), project=None,
                          upload=SimpleUploadedFile("无主.pdf", PDF), kind="evidence")
    return {NONE: {"attachment": str(stored.pk)}}


UNCLAIMED_ATTACHMENT = State("an attachment without a project that no owner claims", _unclaimed_attachment,
                             kinds=(NONE,))

IMPORT_ERRORS = "项目名称,所在地区,项目类别,类型,总投资（万元）\n东河区某中学,东河区,A03,停建,不知道\n"
IMPORT_CLEAN = "项目名称,所在地区,项目类别,类型,总投资（万元）\n东河区矩阵中学,东河区,A03,停建,1200\n"


def import_job(content: str, label: str) -> State:
    """A file the county's user uploaded and had checked (through the upload page, as a person would)."""

    def setup(world):
        from halfbuilt.ledger.models import ImportJob

        client = world.client("county")
        upload = SimpleUploadedFile("台账.csv", content.encode("utf-8"), content_type="text/csv")
        response = client.post("/ledger/import/", {"region": "150202", "file": upload})
        assert response.status_code == 302, response.content
        job = ImportJob.objects.get(user=world.users["county"])
        return {NONE: {}, "job": {"job": str(job.pk)}}

    return State(label, setup, kinds=(NONE, "job"))


JOB_WITH_ERRORS = import_job(IMPORT_ERRORS, "the county's upload, with errors")
JOB_CLEAN = import_job(IMPORT_CLEAN, "the county's upload, without errors")


# Whose notification each project's is: the unit's about its school, the office's about Chifeng's kindergarten,
# the public security department's about its classified project. Nobody else may open or mark it.
NOTIFIED = {IN_SCOPE: "unit", ELSEWHERE: "office", CLASSIFIED: "department_gat"}


def _notifications(world):
    from halfbuilt.notifications.services import notify

    def make(kind, pk):
        made = notify(event="project_red", recipients=[world.users[NOTIFIED[kind]]], title=f"矩阵{kind}",
                      url=f"/ledger/{pk}/", key=f"matrix:{kind}", project=pk).notifications[0]
        return {"notification": made.pk, "url": made.url}

    return _each(world, make)


NOTIFICATIONS = State("a notification for one user on each project", _notifications)
# --- the campaign (部署阶段): its configuration, 实施方案 filings, criteria ------------------------------------------

def _campaign(world):
    """The default campaign loaded: its plan phase and closure target (for the office's edit pages)."""
    from halfbuilt.campaign.loader import load_campaign

    campaign, _ = load_campaign()
    return {NONE: {"phase": campaign.phases.get(key="plan").pk, "target": campaign.targets.get(key="all_closed").pk,
                   "campaign_version": campaign.version}}


CAMPAIGN = State("the default campaign", _campaign, kinds=(NONE,))


def filing(status: str) -> State:
    """The 实施方案 of Baotou's government (in_scope: the region role's own) and of Chifeng's (elsewhere), in
    `status`; filed ones with their document, filed through the service as the filer would."""

    def setup(world):
        from django.core.files.base import ContentFile

        from halfbuilt.campaign.loader import load_campaign
        from halfbuilt.campaign.models import Document, PlanFiling

        campaign, _ = load_campaign()
        made = {NONE: {}}
        for kind, org in ((IN_SCOPE, "region"), (ELSEWHERE, "chifeng")):
            row = PlanFiling.objects.get(campaign=campaign, organization=world.orgs[org])
            made[kind] = {"filing": row.pk, "version": row.version, "document": ""}
            if status == "pending":
                continue
            PlanFiling.objects.filter(pk=row.pk).update(status=status, title="实施方案", targets="年内盘活一批",
                                                        deadline=dt.date(2023, 12, 31), submitted_at=timezone.now())
            document = Document(filing=row, original_name="方案.pdf", content_type="application/pdf", size=len(PDF),
                                sha256="0" * 64, uploaded_by=world.users["office"])
            document.file.save(f"{document.id}.pdf", ContentFile(PDF), save=True)
            made[kind]["document"] = str(document.pk)
        return made

    return State(f"实施方案 {status}", setup, kinds=(NONE, IN_SCOPE, ELSEWHERE))


def _criteria(world):
    """A version of the education department's criteria, with a document."""
    from halfbuilt.campaign import services
    from halfbuilt.core.request_context import Actor
    from halfbuilt.regions.models import Department

    version = services.record_criteria(actor=Actor(world.users["department"]), text="矩阵标准",
                                       department=Department.objects.get(code="JYT"),
                                       uploads=[SimpleUploadedFile("标准.pdf", PDF)])
    return {NONE: {"document": str(version.documents.get().pk)}}


CRITERIA = State("the education department's criteria", _criteria, kinds=(NONE,))
