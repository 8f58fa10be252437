"""The prevention rows of the permission table (imported at the end of table.py), and the states they start from.

Proposed projects are tied to no ledger project: in_scope is one registered by 东河区 (education line, Donghe),
elsewhere one registered by 赤峰市 (education line, Hongshan). Who sees one: the office, the department line within
its region, the league or county over it, and its registering organisation; only the office decides, only the
registering organisation revises a returned one. The stall watch (feeds, flags), the duplicates and the rules are
the office's alone. A reconciled list matches only the ledger projects the user sees (the classified one for its
department alone).
"""

from __future__ import annotations

from . import checks as c
from .grid import ELSEWHERE, IN_SCOPE, NONE, State
from .table import NOTHING, row
from .world import CANDIDATES

KINDS = (IN_SCOPE, ELSEWHERE)
HEAD = "项目代码,项目名称,所在地区,计划开工,计划竣工,开工,停工,竣工,投用,总投资（万元）"


def proposals(status: str) -> State:
    def setup(world):
        from halfbuilt.prevention.models import ProposedProject

        places = {IN_SCOPE: ("150202", "150200", world.orgs["county"]),
                  ELSEWHERE: ("150402", "150400", world.orgs["chifeng"])}
        made: dict = {NONE: {}}
        for kind, (region, prefecture, org) in places.items():
            proposal = ProposedProject.objects.create(
                name=f"矩阵拟建{kind}", category_id="A03", region_id=region, prefecture_id=prefecture,
                department_id="JYT", proposer_org=org, created_by=world.users["office"], total_investment=1000,
                status=status)
            made[kind] = {"proposal": proposal.pk, "version": proposal.version}
        return made

    return State(f"拟建项目 {status}", setup, kinds=KINDS)


SUBMITTED, REVISED = proposals("submitted"), proposals("revised")


def _flag(world):
    import datetime as dt

    from halfbuilt.prevention.models import FeedImport, StallFlag

    feed = FeedImport.objects.create(uploaded_by=world.users["office"], original_name="矩阵进度.csv",
                                     as_of=dt.date.today(), rows=1, flagged=1)
    flag = StallFlag.objects.create(feed=feed, row=2, name="矩阵体育馆", region_id="150202", reason="overdue",
                                    detail="超期", total_investment=500)
    return {NONE: {"flag": flag.pk}}


FLAG = State("停建预警", _flag, kinds=(NONE,))


def _twin(world):
    from halfbuilt.ledger.models import Project

    school = Project.objects.get(pk=world.projects[IN_SCOPE])
    twin = Project.objects.create(ledger_no="M-TWIN", name=f"{school.name}工程", region_id=school.region_id,
                                  prefecture_id=school.prefecture_id, category_id="A03", department_id="JYT",
                                  kind="stalled")
    return twin


def _duplicate(world):
    _twin(world)
    return {NONE: {}}


def _merge(world):
    from halfbuilt.prevention.models import MergeProposal

    twin = _twin(world)
    pair = MergeProposal.objects.create(kept_id=world.projects[IN_SCOPE], merged=twin, similarity="0.8", evidence={
        "a": {"name": "甲"}, "b": {"name": "乙"}})
    return {NONE: {"merge": pair.pk, "project": world.projects[IN_SCOPE], "version": pair.version}}


DUPLICATE = State("名称相近的两个项目", _duplicate, kinds=(NONE,))
MERGE = State("疑似重复项目", _merge, kinds=(NONE,))


def _upload(name: str, text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def feed_upload(ids) -> dict:
    return {"file": _upload("进度.csv", f"{HEAD}\n,矩阵新体育馆,150202,2021-01,2022-06,2021-04,2023-05,,,5000\n")}


def list_upload(ids) -> dict:
    return {"file": _upload("清单.csv", "项目名称,所在地区\n东河区第一中学教学楼,150202\n红山区幼儿园,150402\n"
                                        "某业务技术用房,150202\n")}


PROPOSAL_FORM = {"name": "矩阵新登记", "region": "150202", "category": "A03", "department": "JYT",
                 "total_investment": "800", "feasibility": "done", "performance": "done"}


def _rule_form(ids) -> dict:
    from halfbuilt.prevention import risk

    rule = next(r for r in risk.rules() if r.key == "secured_share")
    return {"label": rule.label, "threshold": "70", "points": "30", "template": rule.template, "enabled": "on",
            "version": rule.version}


def _watch_form(ids) -> dict:
    from halfbuilt.prevention.models import WatchSettings

    return {"no_progress_months": "4", "overdue_months": "0", "idle_months": "6",
            "version": WatchSettings.current().version}


def proposal_has(**fields):
    return c.exists("prevention.ProposedProject", pk="{proposal}", **fields)


#                    office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
row("prevention/proposals/", "GET", "/prevention/proposals/", state=SUBMITTED,
    listed=c.links('id="proposal-{proposal}"'),
    rule="the office lists every proposal, a department its line within its region, a league or county its own "
         "area; the unit and the administrators are refused",
    listing="ie ie i - i i 403 403 403 403 login")
row("prevention/proposals/new/", "GET", "/prevention/proposals/new/",
    rule="whoever may submit projects registers a proposed one", none="200 200 200 200 200 200 403 403 403 403 login")
row("prevention/proposals/new/", "POST", "/prevention/proposals/new/", state=NOTHING, data=PROPOSAL_FORM,
    effect=c.exists("prevention.ProposedProject", name="矩阵新登记"),
    redirect=c.to_new("prevention.ProposedProject", "/prevention/proposals/{pk}/", name="矩阵新登记"),
    rule="a proposal in Donghe's education line is registered by the office, the education departments, Baotou and "
         "Donghe; public security is told it is not its line",
    none="302+ 302+ 302+ 200 302+ 302+ 403 403 403 403 login")
row("prevention/proposals/<int:pk>/", "GET", "/prevention/proposals/{proposal}/", state=SUBMITTED,
    shows=c.contains("矩阵拟建"),
    rule="a proposal is shown to whoever sees it; to anyone else it does not exist",
    in_scope="  200+ 200+ 200+ 404  200+ 200+ 403  403  403  403  login",
    elsewhere=" 200+ 200+ 404  404  404  404  .    .    .    .    .")
row("prevention/proposals/<int:pk>/<str:action>/", "POST", "/prevention/proposals/{proposal}/approve/",
    state=SUBMITTED, data=lambda ids: {"comment": "同意", "version": ids["version"]},
    effect=proposal_has(status="approved"), redirect="/prevention/proposals/{proposal}/",
    rule="only the office decides; whoever else sees the proposal is told so, to anyone else it does not exist",
    in_scope="  302+ 302  302  404  302  302  403  403  403  403  login",
    elsewhere=" 302+ 302  404  404  404  404  .    .    .    .    .")
row("prevention/proposals/<int:pk>/edit/", "GET", "/prevention/proposals/{proposal}/edit/", state=REVISED,
    rule="a returned proposal is revised by its registering organisation alone",
    in_scope="  403  403  403  404  403  200  403  403  403  403  login",
    elsewhere=" 403  403  404  404  404  404  .    .    .    .    .")
row("prevention/proposals/<int:pk>/edit/", "POST", "/prevention/proposals/{proposal}/edit/", state=REVISED,
    data=lambda ids: {**PROPOSAL_FORM, "name": "矩阵修改后", "version": ids["version"]},
    effect=proposal_has(status="submitted", name="矩阵修改后"), redirect="/prevention/proposals/{proposal}/",
    rule="the registering organisation sends its revision back; nobody else changes it",
    in_scope="  403  403  403  404  403  302+ 403  403  403  403  login")
# ---- the office's rules, the stall watch, the duplicates ------------------------------------------------------
OFFICE_ONLY = "200 403 403 403 403 403 403 403 403 403 login"
OFFICE_WRITES = "302+ 403 403 403 403 403 403 403 403 403 login"
row("prevention/rules/", "GET", "/prevention/rules/", rule="the risk rules and thresholds are the office's",
    none=OFFICE_ONLY)
row("prevention/rules/", "POST", "/prevention/rules/", data=_watch_form, redirect="/prevention/rules/",
    effect=c.exists("prevention.WatchSettings", no_progress_months=4),
    rule="saving the stall watch's thresholds is the office's", none=OFFICE_WRITES)
row("prevention/rules/<str:key>/", "GET", "/prevention/rules/secured_share/", rule="a rule is edited by the office",
    none=OFFICE_ONLY)
row("prevention/rules/<str:key>/", "POST", "/prevention/rules/secured_share/", data=_rule_form,
    redirect="/prevention/rules/", effect=c.exists("prevention.RiskRule", key="secured_share", threshold=70),
    rule="a rule's threshold is set by the office alone", none=OFFICE_WRITES)
row("prevention/watch/", "GET", "/prevention/watch/", state=FLAG, shows=c.contains('id="flag-{flag}"'),
    rule="the stall watch's flags are the office's", none="200+ 403 403 403 403 403 403 403 403 403 login")
row("prevention/watch/import/", "GET", "/prevention/watch/import/", rule="the office imports the progress feed",
    none=OFFICE_ONLY)
row("prevention/watch/import/", "POST", "/prevention/watch/import/", state=NOTHING, data=feed_upload,
    redirect="/prevention/watch/", effect=c.exists("prevention.StallFlag", name="矩阵新体育馆"),
    rule="importing a feed is the office's; for anyone else nothing is read", none=OFFICE_WRITES)
row("prevention/watch/flags/<int:pk>/add/", "POST", "/prevention/watch/flags/{flag}/add/", state=FLAG,
    data={"category": "A08"}, effect=c.exists("ledger.Project", name="矩阵体育馆"),
    redirect=c.to_new("ledger.Project", "/ledger/{pk}/", name="矩阵体育馆"),
    rule="a flag goes on the ledger by the office's action alone", none=OFFICE_WRITES)
row("prevention/watch/flags/<int:pk>/dismiss/", "POST", "/prevention/watch/flags/{flag}/dismiss/", state=FLAG,
    data={"reason": "数据滞后"}, effect=c.exists("prevention.StallFlag", pk="{flag}", status="dismissed"),
    redirect="/prevention/watch/", rule="a flag is dismissed by the office alone", none=OFFICE_WRITES)
row("prevention/reconcile/", "GET", "/prevention/reconcile/",
    rule="whoever registers proposals reconciles a list against the ledger they see",
    none="200 200 200 200 200 200 403 403 403 403 login")
row("prevention/reconcile/", "POST", "/prevention/reconcile/", state=CANDIDATES, data=list_upload,
    listed=c.links('href="/ledger/{project}/"'),
    rule="a list matches only the projects the user sees: the classified one for public security alone, missing "
         "for everyone else",
    listing="ie ie i c i i 403 403 403 403 login")
row("prevention/merges/", "GET", "/prevention/merges/", state=MERGE, shows=c.contains('id="merge-{merge}"'),
    rule="the duplicates are the office's", none="200+ 403 403 403 403 403 403 403 403 403 login")
row("prevention/merges/scan/", "POST", "/prevention/merges/scan/", state=DUPLICATE, redirect="/prevention/merges/",
    effect=c.exists("prevention.MergeProposal"), rule="the office looks for duplicates", none=OFFICE_WRITES)
row("prevention/merges/<int:pk>/", "GET", "/prevention/merges/{merge}/", state=MERGE,
    rule="a proposed merge is the office's", none=OFFICE_ONLY)
row("prevention/merges/<int:pk>/merge/", "POST", "/prevention/merges/{merge}/merge/", state=MERGE,
    data=lambda ids: {"keep": "kept", "version": ids["version"]}, redirect="/ledger/{project}/",
    effect=c.exists("prevention.MergeProposal", pk="{merge}", status="merged"),
    rule="the office merges; nobody else", none="302+ 403 403 403 403 403 403 403 403 403 login")
row("prevention/merges/<int:pk>/<str:action>/", "POST", "/prevention/merges/{merge}/dismiss/", state=MERGE,
    data={"comment": "两期工程"}, redirect="/prevention/merges/{merge}/",
    effect=c.exists("prevention.MergeProposal", pk="{merge}", status="dismissed"),
    rule="the office dismisses a pair with its reason; nobody else", none=OFFICE_WRITES)
