"""清仓见底: an external list against the ledger the user sees, by 项目代码 and else by region and a fuzzy name (the
same answers on SQLite and PostgreSQL); duplicates proposed with their evidence and merged by a person, the
history of both kept."""

import pytest

from halfbuilt.audit.models import ChangeLog
from halfbuilt.core.errors import NotAllowed, ServiceError
from halfbuilt.files.models import Attachment
from halfbuilt.ledger.models import Project
from halfbuilt.prevention import merge, reconcile
from halfbuilt.prevention.models import MergeProposal
from halfbuilt.prevention.reconcile import ListRow
from tests.prevention_helpers import actor
from tests.world import project


def test_similarity_is_pg_trgms():
    # SELECT similarity('包头市东河区第一中学教学楼', '东河区第一中学教学楼项目') gives 0.42105263 in PostgreSQL.
    assert round(reconcile.similarity("包头市东河区第一中学教学楼", "东河区第一中学教学楼项目"), 6) == 0.421053
    assert reconcile.similarity("东河区第一中学教学楼", "红山区幼儿园") == 0


def test_by_code_then_by_region_and_name_within_the_users_scope(users, projects):
    school = projects["in_scope"]
    Project.objects.filter(pk=school.pk).update(project_code="2020-150202-47-01-00009X")
    rows = [
        ListRow(1, "2020-150202-47-01-00009X", "名称完全不同", "150202"),  # the code wins
        ListRow(2, "", "包头市东河区第一中学教学楼", "150202"),  # a near name in the same region
        ListRow(3, "", "东河区第一中学教学楼", "150203"),  # the same name in another county: not it
        ListRow(4, "", "某业务技术用房", "150202"),  # the classified project: for whoever sees it only
        ListRow(5, "", "东河区体育馆", "150202"),  # missing
    ]
    office = reconcile.reconcile(users["office"], rows)
    assert {i: (m.project_id, m.how) for i, m in office.items()} == {1: (school.pk, "code"), 2: (school.pk, "name")}
    assert office[2].similarity == 0.562  # the same figure on both databases
    gat = reconcile.reconcile(users["department_gat"], rows)
    assert {i: m.project_id for i, m in gat.items()} == {4: projects["classified"].pk}
    assert reconcile.reconcile(users["sysadmin"], rows) == {}


def pair(users):
    county = project(name="东河区第一中学教学楼", region_id="150202")
    dept = project(name="东河区第一中学教学楼工程", region_id="150202", total_investment=None,
                   completed_investment=None, project_code="2020-150202-47-01-00007X", owner_unit="东河区教育局")
    project(name="东河区人民医院门诊楼", region_id="150202")
    return county, dept


def test_duplicates_are_proposed_once_with_their_evidence(users, orgs):
    county, dept = pair(users)
    assert merge.propose_duplicates(actor=actor(users["office"])) == 1
    proposal = MergeProposal.objects.get()
    assert (proposal.kept_id, proposal.merged_id) == (county.pk, dept.pk)
    assert proposal.evidence["b"]["code"] == "2020-150202-47-01-00007X" and float(proposal.similarity) >= 0.5
    assert merge.propose_duplicates(actor=actor(users["office"])) == 0
    with pytest.raises(NotAllowed):
        merge.propose_duplicates(actor=actor(users["region"]))


def test_a_merge_keeps_both_histories_and_moves_what_the_kept_one_lacks(users, orgs):
    county, dept = pair(users)
    merge.propose_duplicates(actor=actor(users["office"]))
    proposal = MergeProposal.objects.get()
    evidence = Attachment.objects.create(project=dept, kind="evidence", file="attachments/a.pdf", original_name="a.pdf",
                                         content_type="application/pdf", size=1, sha256="0" * 64,
                                         uploaded_by=users["office"])
    with pytest.raises(NotAllowed):
        merge.merge(actor=actor(users["region"]), proposal=proposal)
    kept = merge.merge(actor=actor(users["office"]), proposal=proposal, version=proposal.version, comment="同一项目")
    dept.refresh_from_db()
    assert (kept.pk, kept.project_code, kept.owner_unit) == (county.pk, "2020-150202-47-01-00007X", "东河区教育局")
    assert kept.total_investment == county.total_investment  # its own values are kept
    assert (dept.status, dept.project_code) == ("voided", "")
    assert dept.status_reason == f"与 {county.ledger_no}（东河区第一中学教学楼）重复，已并入"
    assert Attachment.objects.get(pk=evidence.pk).project_id == county.pk
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by, proposal.comment) == ("merged", "office", "同一项目")
    for side in (county, dept):
        actions = set(ChangeLog.objects.filter(project_id=side.pk).values_list("action", flat=True))
        assert {"merge_merge", "merge_files", "update"} <= actions
    assert Project.objects.filter(pk=dept.pk).exists()  # nothing deleted


def test_a_project_in_disposal_is_never_the_merged_one(users, orgs):
    county, dept = pair(users)
    merge.propose_duplicates(actor=actor(users["office"]))
    proposal = MergeProposal.objects.get()
    Project.objects.filter(pk=dept.pk).update(status="in_ledger", stage="planning")
    with pytest.raises(ServiceError, match="不能作为并入项目；请保留该项目"):
        merge.merge(actor=actor(users["office"]), proposal=proposal)
    Project.objects.filter(pk=county.pk).update(status="in_ledger")
    kept = merge.merge(actor=actor(users["office"]), proposal=proposal, swap=True)
    assert kept.pk == dept.pk and Project.objects.get(pk=county.pk).status == "voided"


def test_a_pair_is_dismissed_with_a_reason(users, orgs):
    pair(users)
    merge.propose_duplicates(actor=actor(users["office"]))
    proposal = MergeProposal.objects.get()
    with pytest.raises(ServiceError, match="必须填写理由"):
        merge.dismiss(actor=actor(users["office"]), proposal=proposal, comment="")
    merge.dismiss(actor=actor(users["office"]), proposal=proposal, comment="两期工程")
    proposal.refresh_from_db()
    assert proposal.status == "dismissed" and Project.objects.filter(status="voided").count() == 0
