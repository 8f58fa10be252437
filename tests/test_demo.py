"""`halfbuilt demo`: a realistic campaign (its deployment phase, lights, 督办, notifications …), one account per
role that can sign in, safe to run twice, and consistent (tests/demo_checks.py; on other days:
test_demo_any_day.py).

The demo runs once for the whole suite, here (it takes a while: everything goes through the services): every
check of the full demo belongs in this module, not in a module that builds it again. Each test runs in a savepoint
inside that transaction, and the module's data is rolled back at the end."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from halfbuilt.accounts.models import Role, User
from halfbuilt.audit.models import ChangeLog
from halfbuilt.campaign import selectors as campaign_selectors
from halfbuilt.campaign.models import CriteriaVersion, FilingStatus
from halfbuilt.ledger import coverage
from halfbuilt.ledger.models import Kind, Project, Status
from halfbuilt.ledger.rules import PROJECT_CODE_RE, check_uscc
from halfbuilt.progress import periods
from halfbuilt.progress.models import ProgressReport
from halfbuilt.regions.models import Category, Region, RegionLevel
from halfbuilt.supervision.lights.models import Colour, Light, LightReason

from . import demo_checks


@pytest.fixture(scope="module")
def demo_once(django_db_setup, django_db_blocker, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("demo") / "data"
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as conftest does for every test
    with (
        django_db_blocker.unblock(),
        override_settings(DATA_DIR=data_dir, MEDIA_ROOT=data_dir / "media", PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        started = timezone.now()
        call_command("demo", no_serve=True, stdout=io.StringIO())
        yield data_dir, started
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_once, db, settings):
    data_dir, _ = demo_once
    settings.DATA_DIR = data_dir
    settings.MEDIA_ROOT = data_dir / "media"
    return data_dir


def test_demo_built_today_is_consistent(demo, demo_once):
    demo_checks.check_all(started=demo_once[1])


def test_the_demos_change_log_is_sealed_and_verifies(demo):
    from halfbuilt.audit import chain

    assert not ChangeLog.objects.filter(seq__isnull=True).exists()
    assert chain.verify() is None


def accounts(data_dir) -> list[dict]:
    return json.loads((data_dir / "demo-accounts.json").read_text(encoding="utf-8"))


def test_demo_campaign_covers_every_league_category_and_kind(demo):
    projects = Project.objects.all()
    assert projects.count() >= 400
    leagues = set(Region.objects.filter(level=RegionLevel.PREFECTURE).values_list("code", flat=True))
    assert len(leagues) == 12
    assert set(projects.values_list("prefecture_id", flat=True)) == leagues
    assert set(projects.values_list("category_id", flat=True)) == set(Category.objects.values_list("code", flat=True))
    assert set(projects.values_list("kind", flat=True)) == {Kind.STALLED, Kind.IDLE}
    assert {Status.IN_LEDGER, Status.CANDIDATE, Status.REJECTED} <= set(projects.values_list("status", flat=True))
    assert projects.filter(status=Status.IN_LEDGER).count() > projects.count() / 2
    assert not projects.filter(status=Status.REJECTED, status_reason="").exists()
    assert Project.objects.filter(name="包头市东河区第二中学综合楼", region_id="150202").exists()


def test_demo_projects_follow_the_data_dictionary(demo):
    # A candidate made from a citizen's tip-off holds what the citizen knew (no investment, no responsible unit)
    # until its department verifies it: the catalogue's projects follow the whole dictionary.
    projects = list(Project.objects.exclude(tipoffs__status="accepted"))
    for p in projects:
        assert p.total_investment is not None and p.completed_investment <= p.total_investment
        assert p.prefecture_id == (p.region_id if p.region.level == RegionLevel.PREFECTURE else p.region.parent_id)
        if p.project_code:
            assert PROJECT_CODE_RE.match(p.project_code) and p.project_code[5:11] == p.region_id
        assert check_uscc(p.owner_uscc)[1] is None  # correct check character
        assert p.responsible_org is not None and p.responsible_org.name == p.responsible_unit
    dates = [p.approval_date for p in projects]
    assert {len(d) for d in dates} == {4, 7, 10}  # year only, year-month and full dates
    assert any(p.total_investment != p.total_investment.to_integral() for p in projects)  # decimals
    assert any(p.project_code for p in projects)
    assert {p.approval_level for p in projects} == {"region", "prefecture", "county"}


def test_demo_has_classified_and_unassigned_projects(demo):
    classified = Project.objects.filter(classified=True)
    assert classified.exists()
    assert set(classified.values_list("department_id", flat=True)) <= {"GAT", "FY", "JCY"}
    assert set(classified.values_list("category_id", flat=True)) == {"A02"}
    unassigned = Project.objects.filter(department__isnull=True)
    assert unassigned.exists()
    assert set(unassigned.values_list("category_id", flat=True)) <= {"A02", "A08", "A09", "B04"}
    assert set(unassigned.values_list("status", flat=True)) == {Status.CANDIDATE}  # cannot confirm 待指定


def test_every_demo_project_has_its_creation_in_the_change_log(demo):
    ids = set(Project.objects.values_list("id", flat=True))
    created = ChangeLog.objects.filter(action="create", via="demo", object_type="project")
    assert set(created.values_list("project_id", flat=True)) == ids
    rejected = Project.objects.filter(status=Status.REJECTED).first()
    entry = ChangeLog.objects.get(project_id=rejected.pk, action="reject")
    assert entry.reason == rejected.status_reason


def test_demo_changes_read_as_demo_data(demo, client):
    """The timeline and the audit search name the demo's way in as 演示数据, not as a code."""

    project = Project.objects.get(name="包头市东河区人民医院住院楼")
    client.force_login(User.objects.get(username="demo_office"))
    page = client.get(reverse("ledger:project_detail", args=[project.pk])).content.decode()
    # Every entry but the lights' (computed by the system, 预警亮灯计算) came in as demo data.
    assert page.count("· 演示数据") == ChangeLog.objects.filter(project_id=project.pk).exclude(via="lights").count()
    assert "· 途径" not in page and "demo ·" not in page
    client.force_login(User.objects.get(username="demo_auditor"))
    page = client.get(reverse("audit:changelog_search") + "?action=plan_submit").content.decode()
    assert "（演示数据）" in page and "（demo）" not in page


def test_demo_administrators_have_their_own_work(demo, client):
    """The system administrator opened the unit clerk's account (not signed in yet: must change the password),
    the security administrator saved the demo's policy (two-factor of nobody); the auditor finds both among the
    administrators' actions, as demo data, newest first."""
    from halfbuilt.accounts.models import User

    client.force_login(User.objects.get(username="demo_sysadmin"))
    home = client.get("/").content.decode()
    assert "最近的账户管理操作" in home and "新建用户 demo_clerk" in home
    assert [u.username for u in client.get("/administration/users/?state=must_change").context["page"]] == [
        "demo_clerk"]
    client.force_login(User.objects.get(username="demo_auditor"))
    entries = client.get("/audit/?kind=admin").context["page"].object_list
    assert [(e.action, e.object_repr, e.via) for e in entries] == [
        ("user_create", "demo_clerk", "demo"), ("policy_update", "安全策略", "demo")]
    from halfbuilt.administration.models import SecurityPolicy

    assert SecurityPolicy.objects.get().two_factor_roles == []


def counts() -> dict:
    from halfbuilt.closure.models import ClosureRequest, FollowUpCheck, FollowUpSample
    from halfbuilt.disposal.models import Milestone, Plan, PlanRevision, Procedure
    from halfbuilt.files.models import Attachment
    from halfbuilt.progress.models import ProgressReport, Rollup

    models = [Project, ChangeLog, User, Plan, PlanRevision, Milestone, Procedure, ProgressReport, Rollup,
              ClosureRequest, FollowUpSample, FollowUpCheck, Attachment]
    return {m.__name__: m.objects.count() for m in models}


def test_demo_twice_is_safe(demo):
    before = counts()
    first = accounts(demo)
    out = io.StringIO()
    campaign_before = (CriteriaVersion.objects.count(), campaign_selectors.filing_counts())
    call_command("demo", no_serve=True, stdout=out)
    assert counts() == before
    assert accounts(demo) == first
    assert (CriteriaVersion.objects.count(), campaign_selectors.filing_counts()) == campaign_before
    assert "未重复创建" in out.getvalue()


def test_accounts_file_has_every_role_and_the_passwords_sign_in(demo, client):
    listed = accounts(demo)
    assert {a["role"] for a in listed} == {r.value for r in Role}
    for account in listed:
        assert set(account) == {"username", "password", "role", "organization", "region_code"}
        assert re.fullmatch(r"\d{6}", account["region_code"])
        response = client.post(reverse("login"), {"username": account["username"], "password": account["password"]})
        assert response.status_code == 302, account["username"]
        assert client.session.get("_auth_user_id"), account["username"]
        client.logout()


def test_demo_accounts_see_what_their_role_grants(demo):

    def visible(username):
        return Project.objects.restrict(User.objects.get(username=username))

    assert visible("demo_office").count() == Project.objects.filter(classified=False).count()
    assert visible("demo_gat").filter(classified=True).exists()
    assert visible("demo_baotou_jyt").exists()
    assert set(visible("demo_baotou").values_list("prefecture_id", flat=True)) == {"150200"}
    assert set(visible("demo_donghe").values_list("region_id", flat=True)) == {"150202"}
    assert visible("demo_unit").exists()
    for admin in ("demo_sysadmin", "demo_secadmin", "demo_auditor"):
        assert not visible(admin).exists()


def test_stricter_password_rules_get_random_demo_passwords(db, settings, tmp_path, client, monkeypatch):
    from functools import partial

    from halfbuilt.demo import campaign

    monkeypatch.setattr(campaign, "build", partial(campaign.build, per_prefecture=1))  # the accounts are under test
    settings.DATA_DIR = tmp_path / "data"
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 16}},
    ]
    call_command("demo", no_serve=True, stdout=io.StringIO())
    listed = accounts(settings.DATA_DIR)
    assert all(len(a["password"]) >= 16 for a in listed)
    account = listed[0]
    response = client.post(reverse("login"), {"username": account["username"], "password": account["password"]})
    assert response.status_code == 302


def test_demo_refuses_a_busy_port_before_doing_anything(db, settings, tmp_path):
    import socket

    from django.core.management import CommandError

    settings.DATA_DIR = tmp_path / "data"
    before = Project.objects.count()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(CommandError, match="已被占用"):
            call_command("demo", port=busy.getsockname()[1])
    assert Project.objects.count() == before
    assert not settings.DATA_DIR.exists()


# --- the disposal part of the demo ------------------------------------------------------------------------

def test_demo_has_plans_of_every_method_in_every_review_status(demo):
    from halfbuilt.disposal.models import Method, Milestone, Plan, PlanRevision, PlanStatus, Procedure

    plans = Plan.objects.all()
    in_ledger = Project.objects.filter(status=Status.IN_LEDGER).count()
    assert 0.45 * in_ledger < plans.count() < 0.75 * in_ledger
    assert set(plans.values_list("method", flat=True)) == set(Method.values)
    assert set(plans.values_list("status", flat=True)) == set(PlanStatus.values)
    assert not plans.filter(status=PlanStatus.RETURNED, review_comment="").exists()
    # Each method's facts are there, and obey its rules.
    resume = plans.filter(method=Method.RESUME, status=PlanStatus.CONFIRMED)
    assert all(p.facts["appraisal_date"] and p.facts["continuing_entity"] for p in resume)
    assert any(p.facts.get("resumed_date") for p in resume)
    judicial = plans.filter(method=Method.JUDICIAL).exclude(status=PlanStatus.DRAFT)
    assert all(p.facts["court"] and p.facts["case_number"] for p in judicial)
    assert all(p.facts["developer_extinct"] for p in judicial if p.facts["route"] == "auction")
    for plan in plans.filter(method=Method.DEMOLISH):
        assert plan.facts["involves_relocation"] is False
        assert any(plan.facts[k] for k in ("cannot_legalise", "fails_planning", "fails_safety", "no_market_need"))
    assert all(p.facts["route"] for p in plans.filter(method=Method.REVITALISE))
    procedures = Procedure.objects.filter(plan__method=Method.PROCEDURES)
    assert procedures.filter(done_date__isnull=False).exists() and procedures.filter(done_date__isnull=True).exists()
    assert not Procedure.objects.exclude(plan__method=Method.PROCEDURES).exists()
    # Milestones, some met (with evidence); revisions with their reason.
    met = Milestone.objects.filter(met_date__isnull=False)
    assert met.exists() and Milestone.objects.filter(met_date__isnull=True).exists()
    assert all(m.evidence.exists() for m in met)
    assert PlanRevision.objects.exclude(reason="").exists()
    assert set(plans.filter(revision__gt=0).values_list("status", flat=True)) <= {PlanStatus.CONFIRMED}
    # The project stage follows the plan.
    for plan in plans.select_related("project"):
        if plan.status == PlanStatus.CONFIRMED:
            assert plan.project.stage != "planning"
        else:
            assert plan.project.stage == "planning"


def test_demo_reports_rise_add_up_and_some_are_late_or_missing(demo):
    from django.utils import timezone

    from halfbuilt.progress import periods
    from halfbuilt.progress import services as progress
    from halfbuilt.progress.models import ProgressReport

    reports = ProgressReport.objects.filter(status="submitted").select_related("project").order_by("project", "period")
    assert reports.count() > 200
    now = timezone.now()
    assert all(r.period < periods.current_period() and r.submitted_at < now for r in reports)
    previous = None
    for report in reports:
        if previous is None or previous.project_id != report.project_id:
            assert report.investment_cumulative == report.project.completed_investment + report.investment_month
        else:
            assert report.investment_cumulative == previous.investment_cumulative + report.investment_month
            assert report.physical_progress >= previous.physical_progress
        previous = report
    states = set()
    for period in periods.recent(7)[1:]:
        states |= {row["state"] for row in progress.due_rows(Project.objects.all(), period)}
    assert {"on_time", "late", "missing"} <= states


def test_demo_has_closures_in_every_status_and_a_followup_that_reopened_a_project(demo):
    from halfbuilt.closure.models import CheckResult, ClosureRequest, ClosureStatus, FollowUpCheck
    from halfbuilt.ledger.models import Stage
    from halfbuilt.progress.models import Rollup

    requests = ClosureRequest.objects.all()
    assert set(requests.values_list("status", flat=True)) == set(ClosureStatus.values)
    for request in requests:
        pdfs = [a for a in request.evidence.all() if a.original_name.endswith(".pdf")]
        assert pdfs and pdfs[0].file.read(4) == b"%PDF"  # a real file in storage
    assert not requests.filter(status=ClosureStatus.RETURNED, review_comment="").exists()
    failed = FollowUpCheck.objects.get(result=CheckResult.FAILED)
    assert failed.finding and failed.project.stage == Stage.DISPOSING
    assert ChangeLog.objects.filter(project_id=failed.project_id, action="stage", after={"stage": "disposing"},
                                    reason__startswith="回头看未通过").exists()
    assert FollowUpCheck.objects.filter(result=CheckResult.PASSED).exists()
    assert FollowUpCheck.objects.filter(result=CheckResult.PENDING).exists()
    rollups = Rollup.objects.filter(status="submitted")
    assert {"government", "department"} <= set(rollups.values_list("organization__kind", flat=True))
    assert all(r.figures["due"] > 0 for r in rollups)


def test_demo_disposal_history_is_in_the_change_log_in_the_past(demo, settings):
    import datetime as dt

    from django.utils import timezone

    entries = ChangeLog.objects.filter(via="demo")
    # Everything through the services, as the demo users; only the lights are the system's (recomputed at the end).
    assert entries.count() == ChangeLog.objects.exclude(via="lights").count()
    assert set(ChangeLog.objects.exclude(via="demo").values_list("action", flat=True)) == {"light_change"}
    # … except the citizens' tip-offs, which come from nobody signed in.
    assert not entries.filter(user__isnull=True).exclude(action="tipoff_receive").exists()
    actions = set(entries.values_list("action", flat=True))
    assert {"create", "confirm", "reject", "stage", "plan_create", "plan_submit", "plan_return", "plan_approve",
            "plan_confirm", "plan_revise", "milestone_meet", "procedure_done", "plan_resume", "progress_submit",
            "closure_request", "closure_approve", "closure_return", "closure_close", "followup_draw", "followup_fail",
            "rollup_submit", "attach"} <= actions
    now = timezone.now()
    assert entries.filter(at__lt=now - dt.timedelta(days=60)).exists()  # the story spans months
    assert not entries.filter(at__gt=now).exists()
    retention = dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    assert not entries.filter(at__lt=now - retention).exists()  # the retention task would delete them


def _overdue_period() -> str:
    """The latest month whose due day has passed."""
    last = periods.open_period()
    return last if timezone.now() >= periods.late_after(last) else periods.shift(last, -1)


def _queue(client, username: str, path: str):

    client.force_login(User.objects.get(username=username))
    response = client.get(path)
    assert response.status_code == 200, (username, path)
    return response.context


def test_demo_accounts_have_work_waiting(demo, client):
    def sections(username):
        return {s["key"]: s["count"] for s in _queue(client, username, "/disposal/")["sections"]}

    unit = _queue(client, "demo_unit", "/disposal/")
    statuses = {p.status for s in unit["sections"] if s["key"] == "to_fix" for p in s["rows"]}
    assert statuses == {"draft", "returned"}
    # A report due this month (待报送 before the due day, 逾期未报 after it) and one missing for the overdue month.
    school = "包头市东河区第二中学综合楼"
    page = _queue(client, "demo_unit", "/progress/")
    due = {r["state"] for r in page["rows"] if r["project"].name == school}
    assert due == ({"missing"} if timezone.now() >= periods.late_after(page["period"]) else {"pending"})
    overdue = _overdue_period()
    rows = _queue(client, "demo_unit", f"/progress/?period={overdue}")["rows"]
    assert "missing" in {r["state"] for r in rows if r["project"].name == school}
    assert _queue(client, "demo_unit", "/closure/")["returned"]
    for reviewer in ("demo_jyt", "demo_baotou_jyt"):
        assert sections(reviewer).get("to_review"), reviewer
        assert _queue(client, reviewer, "/closure/")["to_review"], reviewer
    assert sections("demo_office").get("to_confirm")
    office = _queue(client, "demo_office", "/closure/")
    assert office["to_close"] and office["open_checks"]
    before_overdue = periods.shift(_overdue_period(), -1)
    assert _queue(client, "demo_office", f"/progress/rollups/?period={before_overdue}")["rollups"]
    rows = _queue(client, "demo_gat", "/progress/")["rows"]
    classified = [r for r in rows if r["project"].classified]
    assert classified
    # The owning department reports for its classified projects itself; nobody else ever did.

    reports = ProgressReport.objects.filter(project__classified=True).values_list("submitted_by", "project__department")
    lines = dict(User.objects.values_list("username", "role_assignments__organization__department_id"))
    assert reports and all(lines[who] == department for who, department in reports)
    gat_plan = ChangeLog.objects.filter(project_id=classified[0]["project"].pk, action__startswith="plan_")
    assert set(gat_plan.values_list("username", flat=True)) == {"demo_gat"}



def test_demo_orders_stand_in_every_state_issued_and_answered_by_demo_accounts(demo, demo_once):
    from halfbuilt.supervision.orders.models import SupervisionOrder

    orders = list(SupervisionOrder.objects.select_related("issued_by", "addressee").order_by("issued_on"))
    assert {o.status for o in orders} == {"issued", "replied", "returned", "closed"}
    assert sum(o.is_overdue for o in orders) == 1 and sum(o.listed for o in orders) == 1
    assert {o.issued_by.username for o in orders} == {"demo_office", "demo_baotou_jyt"}
    assert {o.addressee.name for o in orders} == {"包头市东河区教育局", "包头市东河区人民政府"}
    started = demo_once[1]
    for order in orders:
        assert order.created_at < started and order.issued_on < timezone.localdate(started)
        assert [e.at for e in order.events.all()] == sorted(e.at for e in order.events.all())
        assert all(e.at < started and e.at > order.created_at for e in order.events.all())
    replied = [o for o in orders if o.status in ("replied", "closed", "returned")]
    assert all(o.events.filter(kind="reply", evidence__isnull=False).exists() for o in replied)
    entries = ChangeLog.objects.filter(object_type="supervisionorder")
    published = entries.filter(action="order_publish").count()  # the portal's (demo/publicity.py)
    assert published == 1
    assert entries.count() == len(orders) + 6 + published and not entries.filter(at__gte=started).exists()
    # One is on 东河区人民政府 itself (no project), answered with a file it and the office see.
    on_org = [o for o in orders if o.project_id is None]
    assert [(o.subject.name, o.status) for o in on_org] == [("包头市东河区人民政府", "replied")]
    assert on_org[0].events.get(kind="reply").evidence.get().project_id is None


def test_every_demo_account_with_a_project_role_has_unread_notifications(demo):
    """Made through `notify` by the story's transitions and the day's reminders; the 三员 see no project, and
    get none."""
    from halfbuilt.demo.accounts import ACCOUNTS
    from halfbuilt.notifications.services import unread_count

    counts = {username: unread_count(User.objects.get(username=username)) for username, *_ in ACCOUNTS}
    assert {name for name, count in counts.items() if count == 0} == {"demo_sysadmin", "demo_secadmin",
                                                                       "demo_auditor"}, counts


# The deployment phase: the default campaign, 实施方案 accepted / waiting / returned / missing, criteria for a
# few departments (one revised), and a couple of projects outside the scope — flagged, or marked 影响较大.

def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_demo_campaign_and_its_filings(demo):
    assert campaign_selectors.current().key == "nm-2022"
    by_org = {row.filing.organization.name: row.filing for row in campaign_selectors.filing_status()}
    assert by_org["包头市人民政府"].status == FilingStatus.ACCEPTED
    assert by_org["内蒙古自治区教育厅"].status == FilingStatus.SUBMITTED
    assert by_org["赤峰市人民政府"].status == FilingStatus.RETURNED and by_org["赤峰市人民政府"].comment
    assert by_org["乌海市人民政府"].status == FilingStatus.PENDING
    counts = campaign_selectors.filing_counts()
    assert counts["accepted"] == 2 and counts["submitted"] == 2 and counts["returned"] == 1 and counts["pending"] == 34
    assert by_org["包头市人民政府"].documents.count() == 1


def test_the_demo_criteria(demo):
    assert campaign_selectors.criteria_in_force("JYT").number == 2
    assert set(CriteriaVersion.objects.values_list("department_id", flat=True)) == {"JYT", "WJW", "ZJT"}


def test_a_couple_of_demo_projects_are_outside_the_scope_and_some_are_marked(demo):
    outside = Project.objects.filter(coverage.outside_q())
    marked = Project.objects.filter(high_impact=True).exclude(high_impact_reason="")
    total = Project.objects.count()
    assert 1 <= outside.count() <= total // 20  # a few, not the ledger
    assert marked.exists() and not outside.filter(pk__in=marked).exists()
    assert not Project.objects.filter(approval_date__lt="2016", high_impact=False).exclude(approval_date="").exists()


def test_the_demo_accounts_have_deployment_work(demo):
    assert "实施方案待审核" in _client("demo_office").get("/").content.decode()
    jyt = _client("demo_jyt").get("/campaign/filings/").content.decode()
    assert "待审核" in jyt
    outside = _client("demo_office").get("/ledger/?scope=outside").content.decode()
    assert "badge-outside" in outside


def test_the_demo_shows_lights_of_every_colour_with_reasons(demo):
    colours = set(Light.objects.values_list("colour", flat=True))
    assert colours == {Colour.GREEN, Colour.YELLOW, Colour.RED}
    # Every project that should carry a light does, and only yellow and red ones have reasons.
    lit = Project.objects.filter(status="in_ledger").exclude(stage="closed")
    assert Light.objects.count() == lit.count()
    assert not Light.objects.filter(colour=Colour.GREEN, project__light_reasons__isnull=False).exists()
    for colour in (Colour.YELLOW, Colour.RED):
        assert not Light.objects.filter(colour=colour, project__light_reasons__isnull=True).exists()
    assert LightReason.objects.values("code").distinct().count() >= 4


def test_demo_has_a_published_circular_for_last_month_and_a_draft(demo, demo_once):
    from halfbuilt.accounts.models import User
    from halfbuilt.notifications.models import Notification
    from halfbuilt.supervision.circulars.models import Circular
    from halfbuilt.supervision.dashboard import figures as board

    published, = Circular.objects.filter(status="published")
    draft, = Circular.objects.filter(status="draft")
    assert published.doc_no == f"内半办通〔{timezone.localdate().year}〕1号" and published.public
    assert published.figures["totals"]["n"] == board.dashboard(User.objects.get(username="demo_office")).total.n
    assert published.figures["leagues"] and published.figures["honour"]["leagues"]
    assert published.addressees.filter(name="包头市人民政府").exists()
    assert Notification.objects.filter(event="circular_published", recipient__username="demo_baotou").count() == 1
    assert draft.doc_no == "" and draft.start > published.end
    assert published.published_at < demo_once[1] and draft.created_at < demo_once[1]


def test_the_demo_green_channel_has_requests_and_items_in_every_state(demo):
    """绿色通道: items 待受理 (one overdue), 办理中, 需补正, 办结 (its plan procedure done with the 文号), 不予办理;
    a request concluded with a 联审会; the authorities' accounts see their own queue."""
    from halfbuilt.greenchannel import selectors
    from halfbuilt.greenchannel.models import GreenRequest, Item, JointReview
    from halfbuilt.greenchannel.states import ItemStatus

    assert set(Item.objects.values_list("status", flat=True)) == set(ItemStatus.values)
    assert set(GreenRequest.objects.values_list("status", flat=True)) == {"open", "concluded"}
    assert Item.objects.filter(selectors.overdue_q()).exists() and JointReview.objects.exists()
    done = Item.objects.filter(status="done", plan_procedure__isnull=False).select_related("plan_procedure")
    assert done and all(i.plan_procedure.document_no == i.doc_no and i.plan_procedure.done_date == i.done_on
                        for i in done)
    assert Item.objects.filter(status="processing", events__action="supply").exists()  # supplied again
    zrzy = User.objects.get(username="demo_zrzy")
    assert set(selectors.addressed(zrzy).values_list("authority__name", flat=True)) == {"包头市东河区自然资源局"}


def test_the_demo_portal_has_published_stories_photos_and_orders(demo, demo_once, client):
    from halfbuilt.public.models import PublishedOrder, PublishedPhoto, Story

    published = Story.objects.filter(published=True)
    assert {s.kind for s in published} == {"news", "case"} and Story.objects.filter(published=False).exists()
    assert PublishedPhoto.objects.exists() and PublishedOrder.objects.exists()
    assert all(s.published_at < demo_once[1] for s in published)
    case = published.get(kind="case")
    page = client.get(f"/gongkai/stories/{case.pk}/").content.decode()
    assert case.title in page
    photo = PublishedPhoto.objects.select_related("attachment").first().attachment
    assert f"/gongkai/photos/{photo.pk}" in client.get(f"/gongkai/projects/{photo.project_id}/").content.decode()


def test_demo_has_tipoffs_in_every_state_one_overdue_and_answers_public(demo, client):
    from halfbuilt.tipoffs.models import TipOff, TipOffStatus

    assert set(TipOff.objects.values_list("status", flat=True)) == set(TipOffStatus.values)
    assert TipOff.objects.overdue().exists()
    accepted = TipOff.objects.get(status="accepted")
    assert accepted.project.status == Status.CANDIDATE
    assert ChangeLog.objects.filter(action="tipoff_source", project_id=accepted.project_id).exists()
    linked = TipOff.objects.get(status="linked")
    page = client.get(f"/gongkai/report/{linked.code}/").content.decode()
    assert linked.public_answer in page and f"/gongkai/projects/{linked.project_id}/" in page
    assert all(t.created_at < timezone.now() for t in TipOff.objects.all())
