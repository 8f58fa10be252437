"""The permission table: every route of the product × role × object (× state) → what the user gets.

Written out by hand from the rules of the work plan and DESIGN.md, never derived from `accounts/scope.py`
(as NetBox's tests do). Who sees what:

    office             every project except classified ones
    department         its department line within its region's subtree, its own classified projects too
                       (dept: the autonomous region's education department; dept_bt: Baotou's; dept_gat: public
                       security, which owns the classified project)
    region / county    their region's subtree (Baotou / Donghe), never classified projects
    unit               the projects it is responsible for
    sysadm / secadm / auditor   no projects (the auditor reads the audit pages)

Who does what on what they see: departments and regions change and void, departments and the office confirm;
the unit and its regions draft plans, report monthly, request closure and upload; departments review plans
and closure requests; the office confirms plans, closes and runs 回头看. The owning department clears its
classified projects itself, doing the unit's, the region's and the office's part for them (not 回头看).

Columns are roles (grid.ROLES); see grid.py for the tokens. Each route's principal row covers every role on
the in_scope object, and on the other objects the roles whose rule differs there: elsewhere — office, dept,
dept_bt, region; classified — office, dept, dept_gat, region. Other rows of a route (another state, the GET of
a form, an action under the same rule) keep the cells that say something new and mark the rest `.`.
"""

from __future__ import annotations

from halfbuilt.ledger.models import Project

from . import checks as c
from .grid import Row, State
from .world import (
    ATTACHMENTS,
    CAMPAIGN,
    CANDIDATES,
    CHANGES,
    CLOSED,
    CRITERIA,
    DASHBOARD,
    DISPOSING,
    IN_LEDGER,
    JOB_CLEAN,
    JOB_WITH_ERRORS,
    LIT,
    MILESTONE,
    NOTHING,
    NOTIFICATIONS,
    PDF,
    PROCEDURE,
    REPORTS,
    ROLLUPS,
    SAMPLE,
    UNCLAIMED_ATTACHMENT,
    closure,
    days_from_today,
    filing,
    plan,
)

GRID_KINDS = ("in_scope", "elsewhere", "classified", "none", "listing", "job")
ROWS: list[Row] = []


def row(route: str, method: str, path: str, *, rule: str, state: State = NOTHING, **options) -> Row:
    grid = {kind: options.pop(kind) for kind in GRID_KINDS if kind in options}
    made = Row(route=route, method=method, path=path, grid=grid, state=state, rule=rule, **options)
    ROWS.append(made)
    return made


def pdf_upload(name: str = "矩阵.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def project_edit_form(ids) -> dict:
    """The edit form as the project's page fills it in, with a new name."""
    project = Project.objects.get(pk=ids["project"])
    data = {
        "name": "改名后的项目", "region": project.region_id, "category": project.category_id,
        "department": project.department_id or "", "kind": project.kind,
        "total_investment": str(project.total_investment), "completed_investment": str(project.completed_investment),
        "version": project.version, "reason": "矩阵测试",
    }
    if project.classified:
        data["classified"] = "on"
    return data


NEW_PROJECT = {"name": "矩阵新建项目", "region": "150202", "category": "A03", "department": "JYT", "kind": "stalled",
               "total_investment": "1200"}
NEW_API_PROJECT = {"name": "矩阵新建项目", "region_code": "150202", "category_code": "A03", "department": "JYT",
                   "kind": "stalled", "total_investment": 100}
CLEAN_CSV = "项目名称,所在地区,项目类别,类型,总投资（万元）\n东河区矩阵小学,东河区,A03,停建,800\n"


def import_upload(ids) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"region": "150202", "file": SimpleUploadedFile("台账.csv", CLEAN_CSV.encode(), content_type="text/csv")}


def plan_form(ids) -> dict:
    return {"method": "judicial", "judicial__route": "judgment", "judicial__court": "某法院", "lead_unit": "某单位",
            "responsible_person": "某人", "deadline": days_from_today(365)}


def plan_change_form(ids) -> dict:
    return {"method": "revitalise", "revitalise__route": "bankruptcy", "lead_unit": "东河区教育局",
            "responsible_person": "新责任人", "deadline": days_from_today(365), "version": ids["version"],
            "reason": "人员调整"}


def closure_form(ids) -> dict:
    return {"outcome": "in_use", "outcome_date": days_from_today(-1), "description": "已投入使用",
            "existing": [ids["evidence"]]}


# ==== sign-in and the start page ====================================================================================
#                    office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
row("", "GET", "/", rule="each role lands on its own home page (its queues); anonymous visitors sign in first",
    none="200 200 200 200 200 200 200 200 200 200 login")
row("accounts/login/", "GET", "/accounts/login/", rule="anyone may open the sign-in page",
    none="200 200 200 200 200 200 200 200 200 200 200")
row("accounts/logout/", "POST", "/accounts/logout/", rule="signing out leads back to the sign-in page",
    redirect="/accounts/login/", shows=c.signed_out,
    none="302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+ login")
row("accounts/logout/", "GET", "/accounts/logout/", rule="signing out is a POST (a link cannot sign anyone out)",
    none="405 . . . . . . . . . login")

# ==== the ledger ====================================================================================================
#                  office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
row("ledger/", "GET", "/ledger/", state=CANDIDATES, listed=c.project_names,
    rule="the ledger lists exactly the projects the user may see",
    listing="ie ie i c i i i 403 403 403 login")
row("ledger/export/", "GET", "/ledger/export/?format=csv", state=CANDIDATES, listed=c.project_names,
    rule="the export holds exactly the projects the user may see",
    listing="ie ie i c i i i 403 403 403 login")
row("ledger/count/", "GET", "/ledger/count/", state=CANDIDATES, listed=c.count,
    rule="the list's count counts only the projects the user may see",
    listing="ie ie i c i i i 403 403 403 login")

#                    office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
row("ledger/<int:pk>/", "GET", "/ledger/{project}/", state=CANDIDATES,
    rule="a project's page is shown to whoever may see the project; to anyone else it does not exist",
    in_scope="  200  200  200  404  200  200  200  404  404  404  login",
    elsewhere=" 200  200  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200  404  .    .    .    .    .    .")
row("ledger/<int:pk>/", "GET", "/ledger/{project}/", state=ATTACHMENTS, shows=c.contains("{name}"),
    rule="the project's page lists its attachments to whoever sees the project",
    in_scope="  200+ 200+ 200+ .    200+ 200+ 200+ .    .    .    .",
    elsewhere=" 200+ .    .    .    .    .    .    .    .    .    .",
    classified=".    .    .    200+ .    .    .    .    .    .    .")
row("ledger/<int:pk>/", "GET", "/ledger/{project}/", state=ATTACHMENTS, shows=c.contains("attach-form"),
    rule="the project's page offers the upload form only to who may upload (unit and regions; the owning "
         "department for its classified project)",
    in_scope="  200  200  200  .    200+ 200+ 200+ .    .    .    .",
    elsewhere=" 200  200  .    .    .    .    .    .    .    .    .",
    classified=".    .    .    200+ .    .    .    .    .    .    .")

row("ledger/<int:pk>/contacts/", "POST", "/ledger/{project}/contacts/", state=CANDIDATES,
    effect=c.exists("audit.ChangeLog", action="personal_data_view", project_id="{project}"),
    rule="the contact in full (logged) is shown to whoever sees the project; to anyone else it does not exist",
    in_scope="  200+ 200+ 200+ 404  200+ 200+ 200+ 404  404  404  login",
    elsewhere=" 200+ 200+ 404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200+ 404  .    .    .    .    .    .")

row("ledger/<int:pk>/edit/", "GET", "/ledger/{project}/edit/", state=CANDIDATES,
    rule="the edit form is for who may change the project (not the unit); to anyone else it does not exist",
    in_scope="  200  200  200  404  200  200  404  404  404  404  login",
    elsewhere=" 200  200  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200  404  .    .    .    .    .    .")
row("ledger/<int:pk>/edit/", "POST", "/ledger/{project}/edit/", state=CANDIDATES, data=project_edit_form,
    redirect="/ledger/{project}/", effect=c.project_has(name="改名后的项目"),
    rule="saving the edit form changes the project for who may change it, and nothing for anyone else",
    in_scope="  302+ 302+ 302+ 404  302+ 302+ 404  404  404  404  login",
    elsewhere=" 302+ 302+ 404  .    404  .    .    .    .    .    .",
    classified="404  404  .    302+ 404  .    .    .    .    .    .")

row("ledger/<int:pk>/<str:action>/", "POST", "/ledger/{project}/confirm/", state=CANDIDATES,
    data={"reason": "矩阵测试"}, redirect="/ledger/{project}/#actions", effect=c.project_has(status="in_ledger"),
    rule="departments and the office confirm a project into the ledger; the regions and the unit may not",
    in_scope="  302+ 302+ 302+ 404  302  302  302  404  404  404  login",
    elsewhere=" 302+ 302+ 404  .    404  .    .    .    .    .    .",
    classified="404  404  .    302+ 404  .    .    .    .    .    .")
row("ledger/<int:pk>/<str:action>/", "POST", "/ledger/{project}/reject/", state=CANDIDATES,
    data={"reason": "不属于政府投资项目"}, redirect="/ledger/{project}/#actions",
    effect=c.project_has(status="rejected"), rule="rejecting is confirming's rule",
    in_scope="  302+ .    302+ .    302  .    302  .    .    .    .",
    classified=".    .    .    302+ .    .    .    .    .    .    .")
row("ledger/<int:pk>/<str:action>/", "POST", "/ledger/{project}/void/", state=CANDIDATES,
    data={"reason": "重复录入"}, redirect="/ledger/{project}/#actions", effect=c.project_has(status="voided"),
    rule="departments, regions and the office void a project; the unit may not",
    in_scope="  302+ 302+ 302+ 404  302+ 302+ 302  404  404  404  login",
    elsewhere=" 302+ 302+ 404  .    404  .    .    .    .    .    .",
    classified="404  404  .    302+ 404  .    .    .    .    .    .")
row("ledger/<int:pk>/<str:action>/", "POST", "/ledger/{project}/delete/", state=CANDIDATES,
    rule="there is no such action",
    in_scope="  404  .    .    .    .    .    .    .    .    .    login")
row("ledger/<int:pk>/<str:action>/", "GET", "/ledger/{project}/confirm/", state=CANDIDATES,
    rule="a status action is a POST",
    in_scope="  405  .    .    .    .    .    405  .    .    .    login")

#                    office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
row("ledger/new/", "GET", "/ledger/new/", rule="the office, departments and regions submit projects",
    none="200 200 200 200 200 200 403 403 403 403 login")
row("ledger/new/", "POST", "/ledger/new/", data=NEW_PROJECT, effect=c.exists("ledger.Project", name="矩阵新建项目"),
    redirect=c.to_new("ledger.Project", "/ledger/{pk}/", name="矩阵新建项目"),
    rule="a project of Donghe's education line is submitted by who may submit in Donghe for that line (public "
         "security is told its line on the form)",
    none="302+ 302+ 302+ 200 302+ 302+ 403 403 403 403 login")
row("ledger/codes/clashes/", "GET", "/ledger/codes/clashes/",
    rule="a shared 项目代码 is resolved by those who confirm projects (the office and departments: each sees the "
         "clashes among the projects it sees); counties were answered as for an unused code",
    none="200 200 200 200 403 403 403 403 403 403 login")
row("ledger/import/", "GET", "/ledger/import/", rule="importing is submitting",
    none="200 200 200 200 200 200 403 403 403 403 login")
row("ledger/import/", "POST", "/ledger/import/", data=import_upload, effect=c.exists("ledger.ImportJob"),
    redirect=c.to_new("ledger.ImportJob", "/ledger/import/{pk}/"),
    rule="a submitter's upload is kept and checked; nobody else's",
    none="302+ 302+ 302+ 302+ 302+ 302+ 403 403 403 403 login")
row("ledger/import/template.xlsx", "GET", "/ledger/import/template.xlsx", rule="the template is for submitters",
    none="200 200 200 200 200 200 403 403 403 403 login")

#                    office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
row("ledger/import/<uuid:job_id>/", "GET", "/ledger/import/{job}/", state=JOB_WITH_ERRORS,
    rule="an upload's preview is its uploader's alone; for anyone else it does not exist",
    job="404 404 404 404 404 200 404 404 404 404 login")
row("ledger/import/<uuid:job_id>/status.json", "GET", "/ledger/import/{job}/status.json", state=JOB_WITH_ERRORS,
    rule="an upload's progress is its uploader's alone",
    job="404 404 404 404 404 200 404 404 404 404 login")
row("ledger/import/<uuid:job_id>/errors.xlsx", "GET", "/ledger/import/{job}/errors.xlsx", state=JOB_WITH_ERRORS,
    rule="an upload's error report is its uploader's alone",
    job="404 404 404 404 404 200 404 404 404 404 login")
row("ledger/import/<uuid:job_id>/confirm/", "POST", "/ledger/import/{job}/confirm/", state=JOB_WITH_ERRORS,
    redirect="/ledger/import/{job}/", effect=c.exists("ledger.Project", name="东河区某中学"),
    rule="a file with errors is never imported, not even by its uploader (sent back to the preview)",
    job="404 404 404 404 404 302 404 404 404 404 login")
row("ledger/import/<uuid:job_id>/confirm/", "POST", "/ledger/import/{job}/confirm/", state=JOB_CLEAN,
    redirect="/ledger/import/{job}/", effect=c.exists("ledger.Project", name="东河区矩阵中学"),
    rule="a clean file is imported by its uploader, and by nobody else",
    job="404 404 404 404 404 302+ 404 404 404 404 login")

# ==== audit ==========================================================================================================
row("audit/", "GET", "/audit/", rule="the change log is the auditor's; for anyone else it does not exist",
    none="404 404 404 404 404 404 404 404 404 200 login")
row("audit/", "GET", "/audit/", state=CHANGES, listed=c.project_names,
    rule="the change log never shows a classified project's entries, not even to the auditor",
    listing=". . . . . . . . . ie .")
row("audit/signins/", "GET", "/audit/signins/", rule="the sign-in log is the auditor's",
    none="404 404 404 404 404 404 404 404 404 200 login")

# ==== the ledger's API ==============================================================================================
#                    office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
row("api/v1/projects", "GET", "/api/v1/projects?page_size=200", state=CANDIDATES,
    listed=c.json_ids("project"), rule="the API lists exactly the projects the user may see",
    listing="ie ie i c i i i - - - 401")
row("api/v1/projects", "POST", "/api/v1/projects", body="json", data=NEW_API_PROJECT,
    effect=c.exists("ledger.Project", name="矩阵新建项目"),
    rule="the API creates a Donghe education project for who may submit it there",
    none="201+ 201+ 201+ 403 201+ 201+ 403 403 403 403 401")
row("api/v1/projects/<int:project_id>", "GET", "/api/v1/projects/{project}", state=CANDIDATES,
    rule="a project's record is there for whoever may see the project",
    in_scope="  200  200  200  404  200  200  200  404  404  404  401",
    elsewhere=" 200  200  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200  404  .    .    .    .    .    .")
row("api/v1/projects/<int:project_id>", "PATCH", "/api/v1/projects/{project}", state=CANDIDATES, body="json",
    data=lambda ids: {"version": ids["version"], "name": "改名后的项目"}, effect=c.project_has(name="改名后的项目"),
    rule="who may see but not change a project is refused (403); who may not see it finds nothing",
    in_scope="  200+ 200+ 200+ 404  200+ 200+ 403  404  404  404  401",
    elsewhere=" 200+ 200+ 404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200+ 404  .    .    .    .    .    .")
row("api/v1/projects/<int:project_id>", "DELETE", "/api/v1/projects/{project}", state=CANDIDATES,
    effect=lambda ids: not c.exists("ledger.Project", pk="{project}")(ids),
    rule="projects are voided, never deleted",
    in_scope="  405  .    .    .    .    .    .    .    .    .    405")
row("api/v1/projects/<int:project_id>/actions/<action>", "POST", "/api/v1/projects/{project}/actions/confirm",
    state=CANDIDATES, body="json", data={}, effect=c.project_has(status="in_ledger"),
    rule="departments and the office confirm through the API too",
    in_scope="  200+ 200+ 200+ 404  403  403  403  404  404  404  401",
    elsewhere=" 200+ 200+ 404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200+ 404  .    .    .    .    .    .")
row("api/v1/projects/<int:project_id>/actions/<action>", "POST", "/api/v1/projects/{project}/actions/reject",
    state=CANDIDATES, body="json", data={"reason": "不属于政府投资项目"}, effect=c.project_has(status="rejected"),
    rule="rejecting is confirming's rule",
    in_scope="  .    200+ .    .    403  .    .    .    .    .    .",
    classified=".    .    .    200+ .    .    .    .    .    .    .")
row("api/v1/projects/<int:project_id>/actions/<action>", "POST", "/api/v1/projects/{project}/actions/void",
    state=CANDIDATES, body="json", data={"reason": "重复录入"}, effect=c.project_has(status="voided"),
    rule="departments, regions and the office void through the API; the unit is refused",
    in_scope="  200+ 200+ 200+ 404  200+ 200+ 403  404  404  404  401",
    elsewhere=" 200+ 200+ 404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200+ 404  .    .    .    .    .    .")
row("api/v1/projects/<int:project_id>/actions/<action>", "POST", "/api/v1/projects/{project}/actions/delete",
    state=CANDIDATES, body="json", data={}, rule="there is no such action",
    in_scope="  404  .    .    .    .    .    .    .    .    .    .")
row("api/v1/regions", "GET", "/api/v1/regions", rule="reference data is for every signed-in user",
    none="200 200 200 200 200 200 200 200 200 200 401")
row("api/v1/categories", "GET", "/api/v1/categories", rule="reference data is for every signed-in user",
    none="200 200 200 200 200 200 200 200 200 200 401")
row("api/v1/openapi.json", "GET", "/api/v1/openapi.json", shows=c.schema_lists_the_projects,
    rule="the API's description is for whoever is signed in (JSON 401 otherwise)",
    none="200+ 200+ 200+ 200+ 200+ 200+ 200+ 200+ 200+ 200+ 401")
row("api/v1/docs", "GET", "/api/v1/docs", raw=True, rule="the API's documentation page is for whoever is signed in",
    none="200 200 200 200 200 200 200 200 200 200 login")
row("api/v1/", "GET", "/api/v1/", rule="the API's root is no address (JSON 404, for everyone)",
    none="404 404 404 404 404 404 404 404 404 404 404")
row("api/v1/<path:rest>", "GET", "/api/v1/no-such-thing", rule="an unknown API address is a JSON 404 for everyone",
    none="404 404 404 404 404 404 404 404 404 404 404")
row("api/<path:rest>", "POST", "/api/v2/projects", body="json", data={},
    rule="another API version (or none) is a JSON 404 for everyone, a write too (never a CSRF page)",
    none="404 404 404 404 404 404 404 404 404 404 404")
row("api/", "GET", "/api/", rule="the API's bare prefix is a JSON 404 for everyone",
    none="404 404 404 404 404 404 404 404 404 404 404")

# ==== disposal (处置方案) ===========================================================================================
#                    office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
row("disposal/", "GET", "/disposal/", state=plan("submitted"), listed=c.context_rows("plan"),
    rule="the plans page lists exactly the plans of the projects the user may see",
    listing="ie ie i c i i i 403 403 403 login")
row("disposal/", "GET", "/disposal/", state=plan("draft"), listed=c.context_rows("plan", "to_fix"),
    rule="plans in draft wait for the unit and its regions (the owning department for a classified one)",
    listing="- - - c i i i . . . .")
row("disposal/", "GET", "/disposal/", state=plan("submitted"), listed=c.context_rows("plan", "to_review"),
    rule="submitted plans wait for the competent departments",
    listing="- ie i c - - - . . . .")
row("disposal/", "GET", "/disposal/", state=plan("approved"), listed=c.context_rows("plan", "to_confirm"),
    rule="approved plans wait for the office (the owning department for a classified one)",
    listing="ie - - c - - - . . . .")
row("disposal/", "GET", "/disposal/", state=IN_LEDGER, listed=c.context_rows("project", "to_draft"),
    rule="projects in the ledger without a plan wait for the unit and its regions",
    listing="- - - c i i i . . . .")

row("disposal/project/<int:project_pk>/new/", "GET", "/disposal/project/{project}/new/", state=IN_LEDGER,
    rule="the plan form is for who drafts plans (unit, regions; the owning department for its classified "
         "project); for anyone else it does not exist",
    in_scope="  404  404  404  404  200  200  200  404  404  404  login",
    elsewhere=" 404  404  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200  404  .    .    .    .    .    .")
row("disposal/project/<int:project_pk>/new/", "POST", "/disposal/project/{project}/new/", state=IN_LEDGER,
    data=plan_form, effect=c.exists("disposal.Plan", project_id="{project}"),
    redirect=c.to_new("disposal.Plan", "/disposal/{pk}/", project_id="{project}"),
    rule="drafters make a plan; nobody else can",
    in_scope="  404  404  404  404  302+ 302+ 302+ 404  404  404  login",
    elsewhere=" 404  404  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    302+ 404  .    .    .    .    .    .")

for suffix, what in (("", "page"), ("revisions/", "revisions"), ("plan.docx", "Word document")):
    row(f"disposal/<int:pk>/{suffix}", "GET", f"/disposal/{{plan}}/{suffix}", state=plan("confirmed"),
        rule=f"a plan's {what} is shown to whoever may see its project",
        in_scope="  200  200  200  404  200  200  200  404  404  404  login",
        elsewhere=" 200  200  404  .    404  .    .    .    .    .    .",
        classified="404  404  .    200  404  .    .    .    .    .    .")

row("disposal/<int:pk>/edit/", "GET", "/disposal/{plan}/edit/", state=plan("draft"),
    rule="a draft is edited by its drafters; for anyone else the form does not exist",
    in_scope="  404  404  404  404  200  200  200  404  404  404  login",
    elsewhere=" 404  404  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200  404  .    .    .    .    .    .")
row("disposal/<int:pk>/edit/", "POST", "/disposal/{plan}/edit/", state=plan("draft"), data=plan_change_form,
    redirect="/disposal/{plan}/", effect=c.plan_has(responsible_person="新责任人"),
    rule="drafters save a draft; nobody else changes it",
    in_scope="  404  404  404  404  302+ 302+ 302+ 404  404  404  login",
    elsewhere=" 404  404  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    302+ 404  .    .    .    .    .    .")
row("disposal/<int:pk>/edit/", "GET", "/disposal/{plan}/edit/", state=plan("submitted"), redirect="/disposal/{plan}/",
    rule="a plan under review cannot be edited, not even by its drafters (back to the plan)",
    in_scope="  404  .    .    .    302  .    302  .    .    .    .",
    classified=".    .    .    302  .    .    .    .    .    .    .")
row("disposal/<int:pk>/revise/", "GET", "/disposal/{plan}/revise/", state=plan("confirmed"),
    rule="a confirmed plan is revised by its drafters",
    in_scope="  404  404  404  404  200  200  200  404  404  404  login",
    elsewhere=" 404  404  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200  404  .    .    .    .    .    .")
row("disposal/<int:pk>/revise/", "POST", "/disposal/{plan}/revise/", state=plan("confirmed"), data=plan_change_form,
    redirect="/disposal/{plan}/", effect=c.plan_has(responsible_person="新责任人", revision=1),
    rule="drafters revise a confirmed plan; nobody else can",
    in_scope="  404  404  404  404  302+ 302+ 302+ 404  404  404  login",
    elsewhere=" 404  404  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    302+ 404  .    .    .    .    .    .")
row("disposal/<int:pk>/revise/", "GET", "/disposal/{plan}/revise/", state=plan("draft"), redirect="/disposal/{plan}/",
    rule="only a confirmed plan is revised; a draft is edited (back to the plan)",
    in_scope="  404  .    .    .    .    302  302  .    .    .    .",
    classified=".    .    .    302  .    .    .    .    .    .    .")

#                    office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
ACTIONS_BACK = "/disposal/{plan}/#actions"
row("disposal/<int:pk>/<str:action>/", "POST", "/disposal/{plan}/submit/", state=plan("draft"),
    redirect=ACTIONS_BACK, effect=c.plan_has(status="submitted"),
    rule="drafters submit a plan for review; anyone else who sees it is told no",
    in_scope="  302  302  302  404  302+ 302+ 302+ 404  404  404  login",
    elsewhere=" 302  302  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    302+ 404  .    .    .    .    .    .")
row("disposal/<int:pk>/<str:action>/", "POST", "/disposal/{plan}/return/", state=plan("submitted"),
    data={"comment": "请补充处置措施"}, redirect=ACTIONS_BACK, effect=c.plan_has(status="returned"),
    rule="the competent departments return a submitted plan",
    in_scope="  302  302+ 302+ 404  302  302  302  404  404  404  login",
    elsewhere=" 302  302+ 404  .    404  .    .    .    .    .    .",
    classified="404  404  .    302+ 404  .    .    .    .    .    .")
row("disposal/<int:pk>/<str:action>/", "POST", "/disposal/{plan}/approve/", state=plan("submitted"),
    redirect=ACTIONS_BACK, effect=c.plan_has(status="approved"), rule="approving is returning's rule",
    in_scope="  302  .    302+ .    .    .    302  .    .    .    .",
    classified=".    .    .    302+ .    .    .    .    .    .    .")
row("disposal/<int:pk>/<str:action>/", "POST", "/disposal/{plan}/confirm/", state=plan("approved"),
    redirect=ACTIONS_BACK, effect=c.plan_has(status="confirmed"),
    rule="the office confirms an approved plan (the owning department its classified one)",
    in_scope="  302+ 302  302  404  302  302  302  404  404  404  login",
    elsewhere=" 302+ 302  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    302+ 404  .    .    .    .    .    .")
row("disposal/<int:pk>/<str:action>/", "POST", "/disposal/{plan}/return/", state=plan("approved"),
    data={"comment": "时限过长"}, redirect=ACTIONS_BACK, effect=c.plan_has(status="returned"),
    rule="an approved plan is returned by who confirms it, no longer by the departments",
    in_scope="  302+ 302  .    .    302  .    .    .    .    .    .",
    classified=".    .    .    302+ .    .    .    .    .    .    .")
row("disposal/<int:pk>/<str:action>/", "POST", "/disposal/{plan}/delete/", state=plan("draft"),
    rule="there is no such action",
    in_scope="  .    .    .    .    404  .    .    .    .    .    login")

MILESTONES_BACK = "/disposal/{plan}/#milestones"
row("disposal/<int:pk>/milestones/", "POST", "/disposal/{plan}/milestones/", state=MILESTONE,
    data={"title": "新节点", "due_date": days_from_today(90)}, redirect=MILESTONES_BACK,
    effect=c.exists("disposal.Milestone", plan_id="{plan}", title="新节点"),
    rule="the drafters plan a confirmed plan's milestones; anyone else who sees it is told no",
    in_scope="  302  302  302  404  302+ 302+ 302+ 404  404  404  login",
    elsewhere=" 302  302  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    302+ 404  .    .    .    .    .    .")
row("disposal/milestones/<int:pk>/", "POST", "/disposal/milestones/{milestone}/", state=MILESTONE,
    data={"title": "改后节点", "due_date": "2025-07-31"}, redirect=MILESTONES_BACK,
    effect=c.exists("disposal.Milestone", pk="{milestone}", title="改后节点"),
    rule="the drafters move a milestone",
    in_scope="  302  302  302  404  302+ 302+ 302+ 404  404  404  login",
    elsewhere=" 302  302  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    302+ 404  .    .    .    .    .    .")
row("disposal/milestones/<int:pk>/met/", "POST", "/disposal/milestones/{milestone}/met/", state=MILESTONE,
    data=lambda ids: {"date": "2025-06-01", "evidence_id": ids["evidence"]}, redirect=MILESTONES_BACK,
    effect=c.exists("disposal.Milestone", pk="{milestone}", met_date__isnull=False),
    rule="the drafters record a milestone met, with evidence",
    in_scope="  302  302  302  404  302+ 302+ 302+ 404  404  404  login",
    elsewhere=" 302  302  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    302+ 404  .    .    .    .    .    .")
PROCEDURES_BACK = "/disposal/{plan}/#procedures"
row("disposal/<int:pk>/procedures/", "POST", "/disposal/{plan}/procedures/", state=PROCEDURE,
    data={"kind": "land_use", "authority": "自然资源局"}, redirect=PROCEDURES_BACK,
    effect=c.exists("disposal.Procedure", plan_id="{plan}", kind="land_use"),
    rule="the drafters list the procedures a 完善手续 plan still needs",
    in_scope="  302  302  302  404  302+ 302+ 302+ 404  404  404  login",
    elsewhere=" 302  302  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    302+ 404  .    .    .    .    .    .")
row("disposal/procedures/<int:pk>/done/", "POST", "/disposal/procedures/{procedure}/done/", state=PROCEDURE,
    data={"date": "2025-06-01"}, redirect=PROCEDURES_BACK,
    effect=c.exists("disposal.Procedure", pk="{procedure}", done_date__isnull=False),
    rule="the drafters record a procedure done",
    in_scope="  302  302  302  404  302+ 302+ 302+ 404  404  404  login",
    elsewhere=" 302  302  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    302+ 404  .    .    .    .    .    .")
row("disposal/<int:pk>/resume/", "POST", "/disposal/{plan}/resume/", state=plan("confirmed", "resume"),
    data={"date": "2025-04-01"}, redirect="/disposal/{plan}/#facts",
    effect=c.plan_has(facts__has_key="resumed_date"),
    rule="the drafters record the day a 复工续建 project resumed",
    in_scope="  302  302  302  404  302+ 302+ 302+ 404  404  404  login",
    elsewhere=" 302  302  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    302+ 404  .    .    .    .    .    .")

# ==== disposal's API =================================================================================================
#                    office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
row("api/v1/plans", "GET", "/api/v1/plans?page_size=200", state=plan("submitted"), listed=c.json_ids("plan"),
    rule="the API lists exactly the plans of the projects the user may see",
    listing="ie ie i c i i i - - - 401")
row("api/v1/plans", "POST", "/api/v1/plans", state=IN_LEDGER, body="json",
    data=lambda ids: {"project_id": ids["project"], "method": "demolish", "facts": {"fails_safety": True},
                      "lead_unit": "某单位", "responsible_person": "某人", "deadline": days_from_today(365)},
    effect=c.exists("disposal.Plan", project_id="{project}"),
    rule="drafters make a plan through the API; who sees the project but does not draft is refused",
    in_scope="  403  403  403  404  201+ 201+ 201+ 404  404  404  401",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    201+ 404  .    .    .    .    .    .")
row("api/v1/plans/methods", "GET", "/api/v1/plans/methods", shows=c.method_labels_in_order,
    rule="the five methods of disposal, in order, for every signed-in user",
    none="200+ 200+ 200+ 200+ 200+ 200+ 200+ 200+ 200+ 200+ 401")
row("api/v1/plans/<int:plan_id>", "GET", "/api/v1/plans/{plan}", state=plan("draft"),
    rule="a plan's record is there for whoever may see its project",
    in_scope="  200  200  200  404  200  200  200  404  404  404  401",
    elsewhere=" 200  200  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200  404  .    .    .    .    .    .")
row("api/v1/plans/<int:plan_id>", "PATCH", "/api/v1/plans/{plan}", state=plan("draft"), body="json",
    data=lambda ids: {"version": ids["version"], "measures": "矩阵措施"}, effect=c.plan_has(measures="矩阵措施"),
    rule="drafters change a draft through the API",
    in_scope="  403  403  403  404  200+ 200+ 200+ 404  404  404  401",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200+ 404  .    .    .    .    .    .")
row("api/v1/plans/<int:plan_id>", "DELETE", "/api/v1/plans/{plan}", state=plan("draft"),
    effect=lambda ids: not c.exists("disposal.Plan", pk="{plan}")(ids), rule="plans are never deleted",
    in_scope="  405  .    .    .    405  .    .    .    .    .    .")

API_ACTION = "/api/v1/plans/{plan}/actions/"
row("api/v1/plans/<int:plan_id>/actions/<action>", "POST", API_ACTION + "submit", state=plan("draft"), body="json",
    data={}, effect=c.plan_has(status="submitted"), rule="drafters submit through the API",
    in_scope="  403  403  403  404  200+ 200+ 200+ 404  404  404  401",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200+ 404  .    .    .    .    .    .")
row("api/v1/plans/<int:plan_id>/actions/<action>", "POST", API_ACTION + "return", state=plan("submitted"),
    body="json", data={"comment": "请补充处置措施"}, effect=c.plan_has(status="returned"),
    rule="the competent departments return through the API",
    in_scope="  403  200+ 200+ 404  403  403  403  404  404  404  401",
    elsewhere=" 403  200+ 404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200+ 404  .    .    .    .    .    .")
row("api/v1/plans/<int:plan_id>/actions/<action>", "POST", API_ACTION + "approve", state=plan("submitted"),
    body="json", data={}, effect=c.plan_has(status="approved"), rule="approving is returning's rule",
    in_scope="  403  .    200+ .    .    .    403  .    .    .    .",
    classified=".    .    .    200+ .    .    .    .    .    .    .")
row("api/v1/plans/<int:plan_id>/actions/<action>", "POST", API_ACTION + "confirm", state=plan("approved"),
    body="json", data={}, effect=c.plan_has(status="confirmed"), rule="the office confirms through the API",
    in_scope="  200+ 403  403  404  403  403  403  404  404  404  401",
    elsewhere=" 200+ 403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200+ 404  .    .    .    .    .    .")
row("api/v1/plans/<int:plan_id>/actions/<action>", "POST", API_ACTION + "return", state=plan("approved"),
    body="json", data={"comment": "时限过长"}, effect=c.plan_has(status="returned"),
    rule="an approved plan is returned by who confirms it",
    in_scope="  200+ 403  .    .    .    .    .    .    .    .    .",
    classified=".    .    .    200+ .    .    .    .    .    .    .")
row("api/v1/plans/<int:plan_id>/actions/<action>", "POST", API_ACTION + "delete", state=plan("draft"), body="json",
    data={}, rule="there is no such action",
    in_scope="  .    .    .    .    404  .    .    .    .    .    .")
row("api/v1/plans/<int:plan_id>/revise", "POST", "/api/v1/plans/{plan}/revise", state=plan("confirmed"),
    body="json", data=lambda ids: {"version": ids["version"], "reason": "人员调整", "responsible_person": "新责任人"},
    effect=c.plan_has(responsible_person="新责任人", revision=1), rule="drafters revise through the API",
    in_scope="  403  403  403  404  200+ 200+ 200+ 404  404  404  401",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200+ 404  .    .    .    .    .    .")
row("api/v1/plans/<int:plan_id>/milestones", "POST", "/api/v1/plans/{plan}/milestones", state=MILESTONE,
    body="json", data={"title": "新节点", "due_date": "2026-03-31"},
    effect=c.exists("disposal.Milestone", plan_id="{plan}", title="新节点"),
    rule="drafters plan milestones through the API",
    in_scope="  403  403  403  404  201+ 201+ 201+ 404  404  404  401",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    201+ 404  .    .    .    .    .    .")
row("api/v1/plans/milestones/<int:milestone_id>", "PATCH", "/api/v1/plans/milestones/{milestone}", state=MILESTONE,
    body="json", data={"title": "改后节点", "due_date": "2025-07-31"},
    effect=c.exists("disposal.Milestone", pk="{milestone}", title="改后节点"),
    rule="drafters move milestones through the API",
    in_scope="  403  403  403  404  200+ 200+ 200+ 404  404  404  401",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200+ 404  .    .    .    .    .    .")
row("api/v1/plans/milestones/<int:milestone_id>/met", "POST", "/api/v1/plans/milestones/{milestone}/met",
    state=MILESTONE, body="json", data=lambda ids: {"met_date": "2025-06-01", "evidence": [ids["evidence"]]},
    effect=c.exists("disposal.Milestone", pk="{milestone}", met_date__isnull=False),
    rule="drafters record a milestone met through the API",
    in_scope="  403  403  403  404  200+ 200+ 200+ 404  404  404  401",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200+ 404  .    .    .    .    .    .")
row("api/v1/plans/<int:plan_id>/procedures", "POST", "/api/v1/plans/{plan}/procedures", state=PROCEDURE,
    body="json", data={"kind": "land_use", "authority": "自然资源局"},
    effect=c.exists("disposal.Procedure", plan_id="{plan}", kind="land_use"),
    rule="drafters list missing procedures through the API",
    in_scope="  403  403  403  404  201+ 201+ 201+ 404  404  404  401",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    201+ 404  .    .    .    .    .    .")
row("api/v1/plans/procedures/<int:procedure_id>/done", "POST", "/api/v1/plans/procedures/{procedure}/done",
    state=PROCEDURE, body="json", data={"done_date": "2025-06-01", "document_no": "东消验字〔2025〕1号"},
    effect=c.exists("disposal.Procedure", pk="{procedure}", done_date__isnull=False),
    rule="drafters record a procedure done through the API",
    in_scope="  403  403  403  404  200+ 200+ 200+ 404  404  404  401",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200+ 404  .    .    .    .    .    .")
row("api/v1/plans/<int:plan_id>/resume", "POST", "/api/v1/plans/{plan}/resume", state=plan("confirmed", "resume"),
    body="json", data={"date": "2025-04-01"}, effect=c.plan_has(facts__has_key="resumed_date"),
    rule="drafters record the resumption through the API",
    in_scope="  403  403  403  404  200+ 200+ 200+ 404  404  404  401",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200+ 404  .    .    .    .    .    .")

# ==== monthly progress (按月报送) =====================================================================================
#                    office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
row("progress/", "GET", "/progress/?period={past}", state=REPORTS, listed=c.project_names,
    rule="the queue lists the projects the user reports on: the unit's and its regions' (the owning "
         "department's classified one)",
    listing="- - - c i i i 403 403 403 login")
row("progress/<int:pk>/", "GET", "/progress/{report}/", state=REPORTS,
    rule="a report is shown to whoever may see its project",
    in_scope="  200  200  200  404  200  200  200  404  404  404  login",
    elsewhere=" 200  200  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200  404  .    .    .    .    .    .")
row("progress/project/<int:pk>/", "GET", "/progress/project/{project}/", state=REPORTS,
    rule="a project's reports are shown to whoever may see the project",
    in_scope="  200  200  200  404  200  200  200  404  404  404  login",
    elsewhere=" 200  200  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200  404  .    .    .    .    .    .")
row("progress/project/<int:pk>/<str:period>/", "GET", "/progress/project/{project}/{now}/", state=DISPOSING,
    rule="the report form is the reporters'; who sees the project but does not report is refused",
    in_scope="  403  403  403  404  200  200  200  404  404  404  login",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200  404  .    .    .    .    .    .")
row("progress/project/<int:pk>/<str:period>/", "POST", "/progress/project/{project}/{now}/", state=DISPOSING,
    data={"progress": "矩阵测试", "physical_progress": "20", "action": "submit"},
    effect=c.exists("progress.ProgressReport", project_id="{project}", period="{now}", status="submitted"),
    redirect=c.to_new("progress.ProgressReport", "/progress/{pk}/", project_id="{project}", period="{now}"),
    rule="reporters submit the month's report; nobody else can",
    in_scope="  403  403  403  404  302+ 302+ 302+ 404  404  404  login",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    302+ 404  .    .    .    .    .    .")

# Roll-ups belong to organizations: in_scope is Baotou's government's, elsewhere Chifeng's. The office reads all;
# a region or department reads and writes its own organization's only.
row("progress/rollups/", "GET", "/progress/rollups/?period={past}", state=ROLLUPS,
    listed=c.links("/progress/rollups/{rollup}/"),
    rule="the office sees every roll-up; a government only its own",
    listing="ie - - - i - - 403 403 403 login")
for suffix, what in (("", "page"), ("rollup.docx", "Word document"), ("rollup.xlsx", "spreadsheet")):
    row(f"progress/rollups/<int:pk>/{suffix}", "GET", f"/progress/rollups/{{rollup}}/{suffix}", state=ROLLUPS,
        rule=f"a roll-up's {what} is the office's and its own organization's; for anyone else it does not exist",
        in_scope="  200  404  404  404  200  404  404  404  404  404  login",
        elsewhere=" 200  404  .    .    404  404  .    .    .    .    .")
row("progress/rollups/new/<int:org_id>/<str:period>/", "GET", "/progress/rollups/new/{own_org}/{now}/",
    rule="each government and department fills in its own organization's roll-up; the office and units have none",
    none="404 200 200 200 200 200 404 404 404 404 login")
row("progress/rollups/new/<int:org_id>/<str:period>/", "GET", "/progress/rollups/new/{org}/{past}/", state=ROLLUPS,
    redirect="/progress/rollups/{rollup}/",
    rule="a submitted roll-up's form sends its own organization to the roll-up; for others it does not exist",
    in_scope="  404  404  404  404  302  404  404  .    .    .    .",
    elsewhere=" .    .    .    .    404  .    .    .    .    .    .")
row("progress/rollups/new/<int:org_id>/<str:period>/", "POST", "/progress/rollups/new/{org}/{now}/", state=ROLLUPS,
    data={"progress": "本月汇总", "action": "submit"},
    effect=c.exists("progress.Rollup", organization_id="{org}", period="{now}"),
    redirect=c.to_new("progress.Rollup", "/progress/rollups/{pk}/", organization_id="{org}", period="{now}"),
    rule="only its own organization submits a roll-up",
    in_scope="  404  404  404  404  302+ 404  404  404  404  404  login",
    elsewhere=" 404  .    .    .    404  .    .    .    .    .    .")

row("api/v1/progress", "GET", "/api/v1/progress?period={past}", state=REPORTS,
    listed=c.json_ids("report"),
    rule="the API lists exactly the reports of the projects the user may see",
    listing="ie ie i c i i i - - - 401")
row("api/v1/progress", "POST", "/api/v1/progress", state=DISPOSING, body="json",
    data=lambda ids: {"project_id": ids["project"], "period": ids["now"], "progress": "接口报送"},
    effect=c.exists("progress.ProgressReport", project_id="{project}", period="{now}"),
    rule="reporters submit through the API; who sees the project but does not report is refused",
    in_scope="  403  403  403  404  201+ 201+ 201+ 404  404  404  401",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    201+ 404  .    .    .    .    .    .")
row("api/v1/progress/<int:report_id>", "GET", "/api/v1/progress/{report}", state=REPORTS,
    rule="a report's record is there for whoever may see its project",
    in_scope="  200  200  200  404  200  200  200  404  404  404  401",
    elsewhere=" 200  200  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200  404  .    .    .    .    .    .")
row("api/v1/progress/rollups", "GET", "/api/v1/progress/rollups?period={past}", state=ROLLUPS,
    listed=c.json_ids("rollup"), rule="the API lists the roll-ups the user may read",
    listing="ie - - - i - - - - - 401")
row("api/v1/progress/rollups", "POST", "/api/v1/progress/rollups", state=ROLLUPS, body="json",
    data=lambda ids: {"organization_id": ids["org"], "period": ids["now"], "progress": "接口报送的汇总"},
    effect=c.exists("progress.Rollup", organization_id="{org}", period="{now}"),
    rule="only its own organization submits a roll-up through the API; for anyone else the organization does not "
         "exist (a 403 would name it)",
    in_scope="  404  404  404  404  201+ 404  404  404  404  404  401",
    elsewhere=" 404  .    .    .    404  .    .    .    .    .    .")

# ==== closure (销号) and 回头看 ======================================================================================
#                    office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
row("closure/", "GET", "/closure/", state=closure("requested"), listed=c.links("/closure/{closure}/"),
    rule="the queue lists requests awaiting review to their requesters and reviewers; roles that never do "
         "closure work are refused",
    listing="- ie i c i i i 403 403 403 login")
row("closure/", "GET", "/closure/", state=DISPOSING, listed=c.links("/closure/new/{project}/"),
    rule="projects being disposed of can be requested for closure by the unit and its regions",
    listing="- - - c i i i . . . .")
row("closure/", "GET", "/closure/", state=closure("approved"), listed=c.links("/closure/{closure}/"),
    rule="approved requests wait for the office, and stay in view of their requesters",
    listing="ie - - c i i i . . . .")
row("closure/new/<int:project_id>/", "GET", "/closure/new/{project}/", state=DISPOSING,
    rule="the closure form is the requesters'; who sees the project but does not request is refused",
    in_scope="  403  403  403  404  200  200  200  404  404  404  login",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200  404  .    .    .    .    .    .")
row("closure/new/<int:project_id>/", "POST", "/closure/new/{project}/", state=DISPOSING, data=closure_form,
    effect=c.closure_requested,
    redirect=c.to_new("closure.ClosureRequest", "/closure/{pk}/", project_id="{project}"),
    rule="requesters ask for closure (the project goes to closing); nobody else can",
    in_scope="  403  403  403  404  302+ 302+ 302+ 404  404  404  login",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    302+ 404  .    .    .    .    .    .")
row("closure/<int:pk>/", "GET", "/closure/{closure}/", state=closure("requested"),
    rule="a closure request is shown to whoever may see its project",
    in_scope="  200  200  200  404  200  200  200  404  404  404  login",
    elsewhere=" 200  200  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200  404  .    .    .    .    .    .")
row("closure/<int:pk>/<str:action>/", "POST", "/closure/{closure}/approve/", state=closure("requested"),
    redirect="/closure/{closure}/", effect=c.closure_has(status="approved"),
    rule="the competent departments approve a request; anyone else who sees it is told no",
    in_scope="  302  302+ 302+ 404  302  302  302  404  404  404  login",
    elsewhere=" 302  302+ 404  .    404  .    .    .    .    .    .",
    classified="404  404  .    302+ 404  .    .    .    .    .    .")
row("closure/<int:pk>/<str:action>/", "POST", "/closure/{closure}/return/", state=closure("requested"),
    data={"comment": "缺少消防验收证明"}, redirect="/closure/{closure}/", effect=c.closure_has(status="returned"),
    rule="returning is approving's rule",
    in_scope="  302  .    302+ .    .    .    302  .    .    .    .",
    classified=".    .    .    302+ .    .    .    .    .    .    .")
row("closure/<int:pk>/<str:action>/", "POST", "/closure/{closure}/close/", state=closure("approved"),
    redirect="/closure/{closure}/", effect=c.closure_has(status="closed"),
    rule="the office closes an approved request (the owning department its classified one)",
    in_scope="  302+ 302  302  404  302  302  302  404  404  404  login",
    elsewhere=" 302+ 302  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    302+ 404  .    .    .    .    .    .")
row("closure/<int:pk>/<str:action>/", "POST", "/closure/{closure}/delete/", state=closure("requested"),
    rule="there is no such action",
    in_scope="  404  .    .    .    .    .    .    .    .    .    login")

row("closure/samples/", "GET", "/closure/samples/", rule="回头看 is the office's work alone",
    none="200 403 403 403 403 403 403 403 403 403 login")
row("closure/samples/new/", "GET", "/closure/samples/new/", rule="only the office draws a sample",
    none="200 403 403 403 403 403 403 403 403 403 login")
row("closure/samples/new/", "POST", "/closure/samples/new/", state=CLOSED, data={"share": "1", "note": ""},
    effect=c.drew_the_visible_closed_projects, redirect=c.to_new("closure.FollowUpSample", "/closure/samples/{pk}/"),
    rule="the office draws a sample of the closed projects it sees, never a classified one; nobody else draws",
    none="302+ 403 403 403 403 403 403 403 403 403 login")
row("closure/samples/<int:pk>/", "GET", "/closure/samples/{sample}/", state=SAMPLE,
    listed=c.links('id="check-{check}"'),
    rule="a sample is the office's, showing the checks of the projects it sees; for anyone else it does not exist",
    listing="ie 404 404 404 404 404 404 404 404 404 login")
row("closure/checks/<int:pk>/", "POST", "/closure/checks/{check}/", state=SAMPLE,
    data={"result": "failed", "finding": "仍闲置"}, redirect="/closure/samples/{sample}/#check-{check}",
    effect=c.check_failed_and_reopened,
    rule="the office records a check of a project it sees (a failed one reopens the project); nobody else",
    in_scope="  302+ 404  404  404  404  404  404  404  404  404  login",
    elsewhere=" 302+ 404  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    404  404  .    .    .    .    .    .")

#                    office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
row("api/v1/closure", "GET", "/api/v1/closure?page_size=200", state=closure("requested"),
    listed=c.json_ids("closure"), rule="the API lists exactly the requests of the projects the user may see",
    listing="ie ie i c i i i - - - 401")
row("api/v1/closure", "POST", "/api/v1/closure", state=DISPOSING, body="json",
    data=lambda ids: {"project_id": ids["project"], "outcome": "demolished", "outcome_date": days_from_today(-1),
                      "description": "已依法拆除", "evidence": [ids["evidence"]]},
    effect=c.closure_requested,
    rule="requesters ask for closure through the API; who sees the project but does not request is refused",
    in_scope="  403  403  403  404  201+ 201+ 201+ 404  404  404  401",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    201+ 404  .    .    .    .    .    .")
row("api/v1/closure/<int:closure_id>", "GET", "/api/v1/closure/{closure}", state=closure("requested"),
    rule="a request's record is there for whoever may see its project",
    in_scope="  200  200  200  404  200  200  200  404  404  404  401",
    elsewhere=" 200  200  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200  404  .    .    .    .    .    .")
API_CLOSURE = "/api/v1/closure/{closure}/actions/"
row("api/v1/closure/<int:closure_id>/actions/<action>", "POST", API_CLOSURE + "approve", state=closure("requested"),
    body="json", data={"comment": "材料齐全"}, effect=c.closure_has(status="approved"),
    rule="the competent departments approve through the API",
    in_scope="  403  200+ 200+ 404  403  403  403  404  404  404  401",
    elsewhere=" 403  200+ 404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200+ 404  .    .    .    .    .    .")
row("api/v1/closure/<int:closure_id>/actions/<action>", "POST", API_CLOSURE + "return", state=closure("requested"),
    body="json", data={"comment": "缺少消防验收证明"}, effect=c.closure_has(status="returned"),
    rule="returning is approving's rule",
    in_scope="  403  .    200+ .    .    .    403  .    .    .    .",
    classified=".    .    .    200+ .    .    .    .    .    .    .")
row("api/v1/closure/<int:closure_id>/actions/<action>", "POST", API_CLOSURE + "close", state=closure("approved"),
    body="json", data={}, effect=c.closure_has(status="closed"), rule="the office closes through the API",
    in_scope="  200+ 403  403  404  403  403  403  404  404  404  401",
    elsewhere=" 200+ 403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200+ 404  .    .    .    .    .    .")
row("api/v1/closure/<int:closure_id>/actions/<action>", "POST", API_CLOSURE + "delete", state=closure("requested"),
    body="json", data={}, rule="there is no such action",
    in_scope="  404  .    .    .    .    .    .    .    .    .    .")
row("api/v1/closure/samples", "GET", "/api/v1/closure/samples", state=SAMPLE,
    shows=lambda response, ids: [s["id"] for s in response.json()["results"]] == [ids["sample"]],
    rule="the API's samples are the office's; everyone else is refused",
    none="200+ 403 403 403 403 403 403 403 403 403 401")
row("api/v1/closure/samples", "POST", "/api/v1/closure/samples", state=CLOSED, body="json", data={"share": "1"},
    effect=c.drew_the_visible_closed_projects,
    rule="the office draws a sample through the API, never of a classified project; everyone else is refused",
    none="201+ 403 403 403 403 403 403 403 403 403 401")
row("api/v1/closure/samples/<int:sample_id>", "GET", "/api/v1/closure/samples/{sample}", state=SAMPLE,
    listed=c.sample_checks_json,
    rule="a sample's record lists the checks of the projects the office sees; for others it does not exist",
    listing="ie 404 404 404 404 404 404 404 404 404 401")
row("api/v1/closure/samples/<int:sample_id>", "GET", "/api/v1/closure/samples/{sample}", state=SAMPLE,
    shows=lambda response, ids: set(response.json()["population_ids"]) == {
        ids["projects"]["in_scope"], ids["projects"]["elsewhere"]},
    rule="the population a sample was drawn from leaves out a project classified since, for who may not see it",
    none="200+ .    .    .    .    .    .    .    .    .    .")
row("api/v1/closure/checks/<int:check_id>", "POST", "/api/v1/closure/checks/{check}", state=SAMPLE, body="json",
    data={"passed": True}, effect=c.exists("closure.FollowUpCheck", pk="{check}", result="passed"),
    rule="the office records a check of a project it sees through the API; for others the check does not exist",
    in_scope="  200+ 404  404  404  404  404  404  404  404  404  401",
    elsewhere=" 200+ 404  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    404  404  .    .    .    .    .    .")

# ==== attachments ====================================================================================================
# The attachments of the ATTACHMENTS state: the office uploaded in_scope's and elsewhere's, public security the
# classified project's.
#                    office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
row("files/", "GET", "/files/", state=ATTACHMENTS, listed=c.links("{name}"),
    rule="my uploads: what I uploaded, no one else's",
    listing="ie - - c - - - 403 403 403 login")
row("files/project/<int:pk>/upload/", "GET", "/files/project/{project}/upload/", state=CANDIDATES,
    rule="the upload form is for the unit and its regions (the owning department on its classified project); "
         "who sees the project but may not upload is refused",
    in_scope="  403  403  403  404  200  200  200  404  404  404  login",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200  404  .    .    .    .    .    .")
row("files/project/<int:pk>/upload/", "POST", "/files/project/{project}/upload/", state=CANDIDATES,
    data=lambda ids: {"kind": "evidence", "file": pdf_upload()}, redirect="/ledger/{project}/#attachments",
    effect=c.exists("files.Attachment", project_id="{project}", original_name="矩阵.pdf"),
    rule="uploaders store a file; nobody else can",
    in_scope="  403  403  403  404  302+ 302+ 302+ 404  404  404  login",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    302+ 404  .    .    .    .    .    .")
row("files/<uuid:id>/", "GET", "/files/{attachment}/", state=ATTACHMENTS, shows=c.is_the_pdf,
    rule="an attachment downloads for whoever may see its project",
    in_scope="  200+ 200+ 200+ 404  200+ 200+ 200+ 404  404  404  login",
    elsewhere=" 200+ 200+ 404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200+ 404  .    .    .    .    .    .")
row("files/<uuid:id>/", "GET", "/files/{attachment}/", state=UNCLAIMED_ATTACHMENT,
    rule="an attachment without a project that no owner claims is there for nobody, its uploader included "
         "(default deny; an order on an organisation's evidence: table_orders.py)",
    none="404  404  404  404  404  404  404  404  404  404  login")

row("api/v1/files", "GET", "/api/v1/files?page_size=200", state=ATTACHMENTS, listed=c.json_ids("attachment"),
    rule="the API lists exactly the attachments of the projects the user may see",
    listing="ie ie i c i i i - - - 401")
row("api/v1/files", "GET", "/api/v1/files?project={project}", state=ATTACHMENTS, shows=c.lists_only("attachment"),
    rule="a project's attachments, for whoever may see it",
    in_scope="  200+ .    200+ 404  .    200+ 200+ .    .    404  .",
    elsewhere=" 200+ .    404  .    .    .    .    .    .    .    .",
    classified="404  .    .    200+ .    .    .    .    .    .    .")
row("api/v1/files", "POST", "/api/v1/files", state=CANDIDATES, body="multipart",
    data=lambda ids: {"project": ids["project"], "kind": "evidence", "file": pdf_upload()},
    effect=c.exists("files.Attachment", project_id="{project}", original_name="矩阵.pdf"),
    rule="uploaders store a file through the API; who sees the project but may not upload is refused",
    in_scope="  403  403  403  404  201+ 201+ 201+ 404  404  404  401",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    201+ 404  .    .    .    .    .    .")
row("api/v1/files/<uuidstr:attachment_id>", "GET", "/api/v1/files/{attachment}", state=ATTACHMENTS,
    rule="an attachment's record is there for whoever may see its project",
    in_scope="  200  200  200  404  200  200  200  404  404  404  401",
    elsewhere=" 200  200  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200  404  .    .    .    .    .    .")
row("api/v1/files/<uuidstr:attachment_id>/content", "GET", "/api/v1/files/{attachment}/content", state=ATTACHMENTS,
    shows=c.is_the_pdf, raw=True, rule="an attachment's content downloads for whoever may see its project",
    in_scope="  200+ 200+ 200+ 404  200+ 200+ 200+ 404  404  404  401",
    elsewhere=" 200+ 200+ 404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200+ 404  .    .    .    .    .    .")
row("api/v1/files/<uuidstr:attachment_id>/content", "GET", "/api/v1/files/{attachment}/content",
    state=UNCLAIMED_ATTACHMENT, raw=True, rule="nor through the API",
    none="404  404  404  404  404  404  404  404  404  404  401")

# ==== notifications: a user's own inbox =============================================================================
# Each project's notification belongs to one user (world.NOTIFIED: in_scope the unit's, elsewhere the office's,
# classified the public security department's); seeing the project is not enough to see someone's notification.
#                    office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
row("notifications/", "GET", "/notifications/", state=NOTIFICATIONS, listed=c.links("/notifications/{notification}/"),
    rule="the inbox lists the user's own notifications only",
    listing="e - - c - - i - - - login")
row("notifications/<int:pk>/", "GET", "/notifications/{notification}/", state=NOTIFICATIONS, redirect="{url}",
    effect=c.exists("notifications.Notification", pk="{notification}", read_at__isnull=False),
    rule="opening one's own notification reads it and leads to its object; anyone else's does not exist",
    in_scope="  404  404  404  404  404  404  302+ 404  404  404  login",
    elsewhere=" 302+ 404  404  404  404  404  404  404  404  404  login",
    classified="404  404  404  302+ 404  404  404  404  404  404  login")
row("notifications/<int:pk>/read/", "POST", "/notifications/{notification}/read/", state=NOTIFICATIONS,
    redirect="/notifications/",
    effect=c.exists("notifications.Notification", pk="{notification}", read_at__isnull=False),
    rule="a user marks their own notification read; anyone else's does not exist",
    in_scope="  404  404  404  404  404  404  302+ 404  404  404  login",
    elsewhere=" 302+ 404  404  404  404  404  404  404  404  404  login",
    classified="404  404  404  302+ 404  404  404  404  404  404  login")
row("notifications/read-all/", "POST", "/notifications/read-all/", state=NOTIFICATIONS, redirect="/notifications/",
    shows=c.own_notifications_read, rule="marking all read marks the user's own, and nobody else's",
    none="302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+ login")
row("notifications/preferences/", "GET", "/notifications/preferences/",
    rule="every signed-in user chooses their own notification channels",
    none="200 200 200 200 200 200 200 200 200 200 login")
row("notifications/preferences/", "POST", "/notifications/preferences/", data={"report_late:email": "on"},
    redirect="/notifications/preferences/", shows=c.own_preferences_saved,
    rule="saving preferences saves the user's own",
    none="302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+ login")


# ==== the campaign (部署阶段): configuration, 实施方案, criteria ===================================================
# Filings are not projects: in_scope is Baotou's government's own 实施方案, elsewhere Chifeng's. The office sees and
# reviews every filing; a filer sees its own; to anyone else a filing does not exist.
#                    office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
row("campaign/", "GET", "/campaign/", state=CAMPAIGN, shows=c.contains("阶段与时间节点"),
    rule="the campaign's phases, targets and scope are there for every project role",
    none="200+ 200+ 200+ 200+ 200+ 200+ 200+ 403 403 403 login")
row("campaign/edit/", "GET", "/campaign/edit/", state=CAMPAIGN, rule="only the office configures the campaign",
    none="200 403 403 403 403 403 403 403 403 403 login")
row("campaign/edit/", "POST", "/campaign/edit/", state=CAMPAIGN,
    data=lambda ids: {"name": "矩阵改名的行动", "scope_since": "2016", "scope_levels": ["region", "prefecture"],
                      "scope_text": "", "version": ids["campaign_version"]},
    redirect="/campaign/", effect=c.exists("campaign.Campaign", name="矩阵改名的行动"),
    rule="the office changes the campaign and its scope rule; nobody else",
    none="302+ 403 403 403 403 403 403 403 403 403 login")
row("campaign/phases/<int:pk>/", "GET", "/campaign/phases/{phase}/", state=CAMPAIGN,
    rule="a phase's form is the office's", none="200 403 403 403 403 403 403 403 403 403 login")
row("campaign/phases/<int:pk>/", "POST", "/campaign/phases/{phase}/", state=CAMPAIGN,
    data={"name": "提出处置方案和意见", "starts": "2022-09-01", "ends": "2022-11-30"}, redirect="/campaign/",
    effect=c.exists("campaign.Phase", pk="{phase}", ends="2022-11-30"),
    rule="the office moves a phase's dates (the deadlines follow); nobody else",
    none="302+ 403 403 403 403 403 403 403 403 403 login")
row("campaign/targets/<int:pk>/", "GET", "/campaign/targets/{target}/", state=CAMPAIGN,
    rule="a target's form is the office's", none="200 403 403 403 403 403 403 403 403 403 login")
row("campaign/targets/<int:pk>/", "POST", "/campaign/targets/{target}/", state=CAMPAIGN,
    data={"text": "矩阵目标", "metric": "closure_rate", "value": "100", "due": "2023-12-31"}, redirect="/campaign/",
    effect=c.exists("campaign.Target", pk="{target}", text="矩阵目标"),
    rule="the office changes a target; nobody else", none="302+ 403 403 403 403 403 403 403 403 403 login")

row("campaign/filings/", "GET", "/campaign/filings/", state=filing("submitted"),
    listed=c.links("/campaign/filings/{filing}/"),
    rule="the office lists every filer's 实施方案, a filer its own; roles that never file are refused",
    listing="ie - - - i - 403 403 403 403 login")
row("campaign/filings/<int:pk>/", "GET", "/campaign/filings/{filing}/", state=filing("submitted"),
    rule="a 实施方案 is shown to the office and to its filer; for anyone else it does not exist",
    in_scope="  200  404  404  404  200  404  404  404  404  404  login",
    elsewhere=" 200  .    .    .    404  .    .    .    .    .    .")
row("campaign/filings/<int:pk>/file/", "POST", "/campaign/filings/{filing}/file/", state=filing("pending"),
    data=lambda ids: {"title": "矩阵实施方案", "targets": "年内盘活一批", "deadline": "2023-12-31",
                      "version": ids["version"], "file": pdf_upload()},
    redirect="/campaign/filings/{filing}/", effect=c.exists("campaign.PlanFiling", pk="{filing}", status="submitted"),
    rule="the filer files its own 实施方案; the office, which sees it, is told no; anyone else finds nothing",
    in_scope="  302  404  404  404  302+ 404  404  404  404  404  login",
    elsewhere=" 302  .    .    .    404  .    .    .    .    .    .")
row("campaign/filings/<int:pk>/file/", "POST", "/campaign/filings/{filing}/file/", state=filing("returned"),
    data=lambda ids: {"title": "矩阵实施方案", "targets": "修改后的目标", "deadline": "2023-12-31",
                      "version": ids["version"]},
    redirect="/campaign/filings/{filing}/", effect=c.exists("campaign.PlanFiling", pk="{filing}", status="submitted"),
    rule="a returned 实施方案 is filed again by its filer (its document kept)",
    in_scope="  302  .    .    .    302+ .    .    .    .    .    .")
row("campaign/filings/<int:pk>/file/", "POST", "/campaign/filings/{filing}/file/", state=filing("accepted"),
    data=lambda ids: {"title": "矩阵实施方案", "targets": "修改后的目标", "deadline": "2023-12-31",
                      "version": ids["version"]},
    redirect="/campaign/filings/{filing}/", effect=c.exists("campaign.PlanFiling", pk="{filing}", title="矩阵实施方案"),
    rule="an accepted 实施方案 is final", in_scope="  .    .    .    .    302  .    .    .    .    .    .")
row("campaign/filings/<int:pk>/<str:action>/", "POST", "/campaign/filings/{filing}/accept/",
    state=filing("submitted"), redirect="/campaign/filings/{filing}/",
    effect=c.exists("campaign.PlanFiling", pk="{filing}", status="accepted"),
    rule="the office accepts a filed 实施方案; its filer is told no",
    in_scope="  302+ 404  404  404  302  404  404  404  404  404  login",
    elsewhere=" 302+ .    .    .    404  .    .    .    .    .    .")
row("campaign/filings/<int:pk>/<str:action>/", "POST", "/campaign/filings/{filing}/return/",
    state=filing("submitted"), data={"comment": "请补充分年度目标"}, redirect="/campaign/filings/{filing}/",
    effect=c.exists("campaign.PlanFiling", pk="{filing}", status="returned", comment="请补充分年度目标"),
    rule="returning is accepting's rule", in_scope="  302+ .    .    .    302  .    .    .    .    .    .")
row("campaign/filings/<int:pk>/<str:action>/", "POST", "/campaign/filings/{filing}/delete/",
    state=filing("submitted"), rule="there is no such action",
    in_scope="  404  .    .    .    404  .    .    .    .    .    login")
row("campaign/documents/<uuid:pk>/", "GET", "/campaign/documents/{document}/", state=filing("submitted"),
    shows=c.is_the_pdf, rule="a 实施方案's document downloads for whoever sees the filing",
    in_scope="  200+ 404  404  404  200+ 404  404  404  404  404  login",
    elsewhere=" 200+ .    .    .    404  .    .    .    .    .    .")
row("campaign/documents/<uuid:pk>/", "GET", "/campaign/documents/{document}/", state=CRITERIA,
    shows=c.is_the_pdf, rule="a criteria document downloads for every project role",
    none="200+ 200+ 200+ 200+ 200+ 200+ 200+ 404 404 404 login")
row("campaign/criteria/", "GET", "/campaign/criteria/", state=CRITERIA, shows=c.contains("第 1 版"),
    rule="every project role reads the departments' criteria",
    none="200+ 200+ 200+ 200+ 200+ 200+ 200+ 403 403 403 login")
row("campaign/criteria/<str:code>/", "GET", "/campaign/criteria/JYT/", state=CRITERIA, shows=c.contains("矩阵标准"),
    rule="a line's criteria and their versions, for every project role",
    none="200+ 200+ 200+ 200+ 200+ 200+ 200+ 403 403 403 login")
row("campaign/criteria/<str:code>/", "POST", "/campaign/criteria/JYT/", state=CAMPAIGN,
    data={"text": "矩阵新标准", "note": ""}, redirect="/campaign/criteria/JYT/",
    effect=c.exists("campaign.CriteriaVersion", department_id="JYT"),
    rule="only the line's own department (the autonomous region's) records a new version; anyone else is told no",
    none="302 302+ 302 302 302 302 302 403 403 403 login")

# The 督办, 通报 and administration rows live beside this table (their states with them).
from . import (  # noqa: E402,F401
    table_admin,
    table_circulars,
    table_green,
    table_orders,
    table_prevention,
    table_public,
    table_tipoffs,
)


# ==== warning lights (预警亮灯) =======================================================================================
def light_settings_form(ids) -> dict:
    from halfbuilt.supervision.lights.models import LightSettings

    current = LightSettings.current()
    return {"behind_yellow_points": "12", "behind_red_points": "30", "missing_yellow_months": "1",
            "missing_red_months": "3", "review_wait_days": "20", "plan_draft_by": "2022-10-31",
            "plan_confirm_by": "2022-10-31", "version": current.version}


#                    office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
row("lights/settings/", "GET", "/lights/settings/", rule="the light rules are set by the office alone",
    none="200 403 403 403 403 403 403 403 403 403 login")
row("lights/settings/", "POST", "/lights/settings/", data=light_settings_form, redirect="/lights/settings/",
    effect=c.exists("lights.LightSettings", review_wait_days=20),
    rule="saving the light rules is the office's; for anyone else it changes nothing",
    none="302+ 403 403 403 403 403 403 403 403 403 login")
row("ledger/", "GET", "/ledger/?light=red", state=LIT, listed=c.project_names,
    rule="the list filtered by light lists only the red projects the user may see",
    listing="ie ie i c i i i 403 403 403 login")
row("ledger/", "GET", "/ledger/?reason=plan_not_drafted", state=LIT, listed=c.project_names,
    rule="the list filtered by a light's reason lists only the projects the user may see",
    listing="ie ie i c i i i 403 403 403 login")
row("ledger/count/", "GET", "/ledger/count/?light=red", state=LIT, listed=c.count,
    rule="the count of red lights counts only the projects the user may see",
    listing="ie ie i c i i i 403 403 403 login")
row("ledger/export/", "GET", "/ledger/export/?format=csv&light=red", state=LIT, listed=c.project_names,
    rule="the export of red lights holds only the projects the user may see",
    listing="ie ie i c i i i 403 403 403 login")
row("ledger/<int:pk>/", "GET", "/ledger/{project}/", state=LIT, shows=c.contains('id="light-heading"'),
    rule="a project's light (its panel) is shown to whoever sees the project; to anyone else it does not exist",
    in_scope="  200+ 200+ 200+ 404  200+ 200+ 200+ 404  404  404  login",
    elsewhere=" 200+ 200+ 404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200+ 404  .    .    .    .    .    .")
# ==== the dashboard (调度看板) ========================================================================================
#                  office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
row("dashboard/", "GET", "/dashboard/", state=DASHBOARD, listed=c.dashboard_counted,
    rule="the dashboard counts exactly the projects the user may see (classified ones for their department only); "
         "the unit has its home page, the admins no project data",
    listing="ie ie i c i i 403 403 403 403 login")
row("dashboard/", "GET", "/dashboard/?area=150200", state=DASHBOARD, listed=c.map_counted("150200"),
    rule="the map drilled down to Baotou counts its counties' projects in the user's scope (the classified one for "
         "public security alone); Baotou's own roles open on it; a county has no map",
    listing="i i i c i - 403 403 403 403 login")
row("dashboard/", "GET", "/dashboard/?area=150400", state=DASHBOARD, listed=c.map_counted("150400"),
    rule="drilling into Chifeng shows its counties to whoever sees the province; Baotou's roles keep their own map",
    listing="e e - - - - 403 403 403 403 login")
row("dashboard/screen/", "GET", "/dashboard/screen/", state=DASHBOARD,
    rule="the 大屏 is the dashboard's, for whoever has the dashboard",
    none="200 200 200 200 200 200 403 403 403 403 login")
row("dashboard/screen.json", "GET", "/dashboard/screen.json", state=DASHBOARD, listed=c.screen_counted,
    rule="the 大屏's figures count what the user's dashboard counts, no more",
    listing="ie ie i c i i 403 403 403 403 login")
row("dashboard/export.xlsx", "GET", "/dashboard/export.xlsx", state=DASHBOARD,
    rule="the dashboard's tables export for whoever has the dashboard",
    none="200 200 200 200 200 200 403 403 403 403 login")
row("dashboard/schedule.xlsx", "GET", "/dashboard/schedule.xlsx", state=DASHBOARD, shows=c.xlsx_has("赤峰市"),
    rule="the 调度表 holds the leagues of the user's scope only: Chifeng for the office and the autonomous region's "
         "education department, for nobody in Baotou",
    none="200+ 200+ 200 200 200 200 403 403 403 403 login")
row("dashboard/schedule.docx", "GET", "/dashboard/schedule.docx", state=DASHBOARD,
    rule="the 调度表 as a Word document, for whoever has the dashboard",
    none="200 200 200 200 200 200 403 403 403 403 login")
