"""回头看: the office draws a random sample of closed projects; a failed check reopens the project."""

import json
from decimal import Decimal

import pytest
from django.test import Client

from halfbuilt.audit.models import ChangeLog
from halfbuilt.closure import services
from halfbuilt.closure.models import FollowUpCheck, FollowUpSample
from halfbuilt.core.errors import ConflictError, NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.models import Project


@pytest.fixture
def closed(make_project, closure_stage):
    """n closed projects in the ledger (Donghe, education)."""
    def make(n, **fields):
        return [closure_stage(make_project(**fields), "closed") for _ in range(n)]
    return make


def office(users):
    return Actor(user=users["office"])


def client(users, role):
    c = Client()
    c.force_login(users[role])
    return c


def sampled_ids(sample):
    return sorted(sample.checks.values_list("project_id", flat=True))


def test_share_is_respected(users, closed):
    closed(10)
    sample = services.draw_sample(actor=office(users), share="0.3", note="第一批")
    assert sample.population == 10 and sample.checks.count() == 3 and sample.share == Decimal("0.3")
    assert set(sample.checks.values_list("result", flat=True)) == {"pending"}


def test_share_defaults_to_the_setting_and_rounds_up(users, closed, settings):
    closed(15)
    settings.FOLLOWUP_SHARE = "0.1"
    sample = services.draw_sample(actor=office(users))
    assert sample.share == Decimal("0.1") and sample.checks.count() == 2  # ceil(1.5)


def test_at_least_one_project_when_any_is_closed(users, closed):
    closed(3)
    assert services.draw_sample(actor=office(users), share="0.01").checks.count() == 1


@pytest.mark.parametrize("share", ["0", "-0.1", "1.5", "abc", "NaN", "0.12345"])
def test_bad_share_is_refused(users, closed, share):
    closed(2)
    with pytest.raises(ServiceError) as refused:
        services.draw_sample(actor=office(users), share=share)
    assert refused.value.field == "share" and "抽取比例" in refused.value.message
    assert not FollowUpSample.objects.exists()


def test_nothing_to_draw_is_refused(users, projects):
    with pytest.raises(ServiceError, match="没有可抽取的已销号项目"):
        services.draw_sample(actor=office(users), share="0.5")


def test_the_draw_is_reproducible_from_the_stored_seed(users, closed):
    closed(20)
    sample = services.draw_sample(actor=office(users), share="0.25")
    stored = FollowUpSample.objects.get(pk=sample.pk)
    assert len(stored.seed) == 32 and len(stored.population_ids) == 20
    assert services.reproduce(stored) == sampled_ids(stored)
    assert services.draw(stored.seed, list(reversed(stored.population_ids)), 5) == sampled_ids(stored)
    entry = ChangeLog.objects.get(action="followup_draw", project_id=None)
    assert entry.after["seed"] == stored.seed and entry.after["sampled"] == 5


def test_only_closed_projects_the_office_may_see_are_drawn(users, projects, closed, closure_stage, make_project):
    visible_closed = closed(4)
    closure_stage(projects["classified"], "closed")  # the office never sees classified projects
    closure_stage(projects["in_scope"], "disposing")
    closure_stage(projects["elsewhere"], "closing")
    candidate = make_project(stage="closed")  # never confirmed into the ledger
    sample = services.draw_sample(actor=office(users), share="1")
    assert sampled_ids(sample) == sorted(p.pk for p in visible_closed)
    assert candidate.pk not in sample.population_ids and projects["classified"].pk not in sample.population_ids


@pytest.mark.parametrize("role", ["department", "region", "unit", "sysadmin", "auditor"])
def test_only_the_office_draws(users, closed, role):
    closed(2)
    with pytest.raises(NotAllowed):
        services.draw_sample(actor=Actor(user=users[role]), share="1")


def test_projects_pending_in_a_sample_are_not_drawn_again(users, closed):
    projects = closed(4)
    first = services.draw_sample(actor=office(users), share="0.5")
    second = services.draw_sample(actor=office(users), share="1")
    assert set(sampled_ids(first)).isdisjoint(sampled_ids(second))
    assert sorted(sampled_ids(first) + sampled_ids(second)) == sorted(p.pk for p in projects)
    # Once checked (passed), a project may be drawn again in a later sample.
    for check in first.checks.all():
        services.record_check(actor=office(users), check=check, passed=True, finding="")
    third = services.draw_sample(actor=office(users), share="1")
    assert sampled_ids(third) == sampled_ids(first)


def test_a_failed_check_reopens_the_project_with_its_finding(users, projects, closure_stage):
    project = closure_stage(projects["in_scope"], "closed")
    sample = services.draw_sample(actor=office(users), share="1")
    check = sample.checks.get()
    with pytest.raises(ServiceError, match="必须填写发现的问题") as refused:
        services.record_check(actor=office(users), check=check, passed=False, finding=" ")
    assert refused.value.field == "finding"
    assert Project.objects.get(pk=project.pk).stage == "closed"
    services.record_check(actor=office(users), check=check, passed=False, finding="教学楼仍闲置，未投入使用")
    check.refresh_from_db()
    assert check.result == "failed" and check.finding == "教学楼仍闲置，未投入使用" and check.checked_by == "office"
    assert Project.objects.get(pk=project.pk).stage == "disposing"
    stage_entry = ChangeLog.objects.get(project_id=project.pk, action="stage", after={"stage": "disposing"})
    assert "教学楼仍闲置，未投入使用" in stage_entry.reason
    assert ChangeLog.objects.get(action="followup_fail").reason == "教学楼仍闲置，未投入使用"
    # The project page shows the finding, to everyone who sees the project.
    for role in ("office", "department_baotou", "unit"):
        page = client(users, role).get(f"/ledger/{project.pk}/").content.decode()
        assert "回头看未通过" in page and "教学楼仍闲置，未投入使用" in page, role
    # Reopened, the unit may request closure again.
    assert services.can_request(users["unit"], Project.objects.get(pk=project.pk))
    with pytest.raises(ConflictError, match="不能重复登记"):
        services.record_check(actor=office(users), check=check, passed=True, finding="")


def test_a_passed_check_leaves_the_project_closed(users, projects, closure_stage):
    project = closure_stage(projects["in_scope"], "closed")
    check = services.draw_sample(actor=office(users), share="1").checks.get()
    services.record_check(actor=office(users), check=check, passed=True, finding="已正常使用")
    check.refresh_from_db()
    assert check.result == "passed" and Project.objects.get(pk=project.pk).stage == "closed"
    assert not ChangeLog.objects.filter(project_id=project.pk, action="stage").exists()
    assert ChangeLog.objects.filter(project_id=project.pk, action="followup_pass").exists()


@pytest.mark.parametrize("role", ["department", "department_baotou", "unit", "region"])
def test_only_the_office_records_checks(users, projects, closure_stage, role):
    closure_stage(projects["in_scope"], "closed")
    check = services.draw_sample(actor=office(users), share="1").checks.get()
    with pytest.raises(NotAllowed):
        services.record_check(actor=Actor(user=users[role]), check=check, passed=False, finding="问题")
    assert FollowUpCheck.objects.get(pk=check.pk).result == "pending"


# --- pages --------------------------------------------------------------------------------------

def test_draw_and_record_through_the_pages(users, closed):
    projects = closed(10)
    c = client(users, "office")
    form = c.get("/closure/samples/new/").content.decode()
    assert "抽取比例" in form and 'value="10%"' in form  # the share as clerks say it
    refused = c.post("/closure/samples/new/", {"share": "2", "note": ""})
    assert refused.status_code == 200 and "不超过 1" in refused.content.decode()
    response = c.post("/closure/samples/new/", {"share": "0.3", "note": "2023 年第一批"})
    sample = FollowUpSample.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/closure/samples/{sample.pk}/"
    detail = c.get(response["Location"]).content.decode()
    assert sample.seed in detail and "结果一致" in detail and detail.count("登记“") == 3
    failing, passing = sample.checks.all()[:2]
    empty = c.post(f"/closure/checks/{failing.pk}/", {"result": "failed", "finding": ""}, follow=True)
    assert "必须填写发现的问题" in empty.content.decode()
    c.post(f"/closure/checks/{failing.pk}/", {"result": "failed", "finding": "围墙倒塌未修复"})
    c.post(f"/closure/checks/{passing.pk}/", {"result": "passed", "finding": ""})
    assert c.post(f"/closure/checks/{passing.pk}/", {"result": "bogus"}).status_code == 302
    listing = c.get("/closure/samples/").content.decode()
    assert "2023 年第一批" in listing
    detail = c.get(f"/closure/samples/{sample.pk}/").content.decode()
    assert "围墙倒塌未修复" in detail and "未通过" in detail and detail.count("登记“") == 1
    queue = c.get("/closure/").content.decode()
    assert "待登记的回头看核查（1）" in queue
    reopened = Project.objects.get(pk=failing.project_id)
    assert reopened.stage == "disposing" and reopened in projects


def test_samples_are_the_offices(users, closed):
    closed(2)
    sample = services.draw_sample(actor=office(users), share="1")
    for role in ("department", "region", "unit"):
        c = client(users, role)
        assert c.get("/closure/samples/").status_code == 403
        assert c.get("/closure/samples/new/").status_code == 403
        assert c.get(f"/closure/samples/{sample.pk}/").status_code == 404


# --- API ----------------------------------------------------------------------------------------

def test_api_draw_list_and_record(users, closed):
    closed(10)
    c = client(users, "office")
    bad = c.post("/api/v1/closure/samples", json.dumps({"share": 0}), content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "share"
    drawn = c.post("/api/v1/closure/samples", json.dumps({"share": 0.3, "note": "API"}),
                   content_type="application/json")
    assert drawn.status_code == 201, drawn.content
    body = drawn.json()
    assert body["share"] == "0.3" and body["population"] == 10 and len(body["checks"]) == 3
    assert [s["id"] for s in c.get("/api/v1/closure/samples").json()["results"]] == [body["id"]]
    assert c.get(f"/api/v1/closure/samples/{body['id']}").json()["seed"] == body["seed"]
    check_id = body["checks"][0]["id"]
    refused = c.post(f"/api/v1/closure/checks/{check_id}", json.dumps({"passed": False}),
                     content_type="application/json")
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "finding"
    failed = c.post(f"/api/v1/closure/checks/{check_id}", json.dumps({"passed": False, "finding": "仍未投用"}),
                    content_type="application/json")
    assert failed.status_code == 200 and failed.json()["result"] == "failed"
    assert Project.objects.get(pk=failed.json()["project_id"]).stage == "disposing"
    again = c.post(f"/api/v1/closure/checks/{check_id}", json.dumps({"passed": True}),
                   content_type="application/json")
    assert again.status_code == 409
    default = c.post("/api/v1/closure/samples", content_type="application/json")
    assert default.status_code == 201 and default.json()["share"] == "0.1"


def test_a_concurrent_draw_cannot_put_a_project_in_two_open_checks(users, closed, monkeypatch):
    """Two draws at the same moment both see the project as free; the database keeps one open check."""
    from halfbuilt.ledger.models import Project as P

    closed(2)
    first = services.draw_sample(actor=office(users), share="1")
    # The second draw's view of the population, taken before the first committed.
    monkeypatch.setattr(services, "sample_population", lambda user: P.objects.filter(stage="closed"))
    with pytest.raises(ConflictError, match="另一次抽样"):
        services.draw_sample(actor=office(users), share="1")
    assert FollowUpSample.objects.get() == first and FollowUpCheck.objects.count() == 2
