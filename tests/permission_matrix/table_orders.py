"""The 督办 rows of the permission table (imported at the end of table.py), and the states they start from.

Each project gets an order: in_scope issued by the office to its unit (东河区第一中学); elsewhere by the office
to 赤峰市人民政府; classified by its owning department (公安厅) to itself. Who sees an order: the office (not the
classified one), its issuer and addressee, and — read only — whoever sees its project. The addressee replies; the
issuer accepts (办结/摘牌) or returns it.
"""

from __future__ import annotations

from . import checks as c
from .grid import CLASSIFIED, ELSEWHERE, IN_SCOPE, NONE, State
from .table import NOTHING, pdf_upload, row
from .world import PDF, _each


def _addressees(world) -> dict:
    return {IN_SCOPE: world.orgs["unit"], ELSEWHERE: world.orgs["chifeng"], CLASSIFIED: world.orgs["department_gat"]}


def _issuers(world) -> dict:
    return {IN_SCOPE: world.orgs["office"], ELSEWHERE: world.orgs["office"], CLASSIFIED: world.orgs["department_gat"]}


def order(status: str) -> State:
    def setup(world):
        import datetime as dt

        from django.utils import timezone

        from halfbuilt.supervision.orders.models import SupervisionOrder

        today = timezone.localdate()
        numbers = iter(range(1, 10))

        def make(kind, pk):
            issuer = _issuers(world)[kind]
            made = SupervisionOrder.objects.create(
                project_id=pk, issuer_org=issuer, addressee=_addressees(world)[kind],
                issued_by=world.users["office" if kind != CLASSIFIED else "department_gat"], year=today.year,
                number=next(numbers), doc_no=f"矩阵督〔{today.year}〕{kind}", reason="停工", requirements="复工",
                issued_on=today, deadline=today + dt.timedelta(days=7), deadline_workdays=5, status=status)
            return {"order": made.pk}

        return _each(world, make)

    return State(f"督办 {status}", setup)


def _targets(world):
    """The three projects, each with the addressee a 督办 on it may have."""
    made = _each(world, lambda kind, pk: {"addressee": _addressees(world)[kind].pk})
    made[NONE] = {"chifeng": world.orgs["chifeng"].pk}
    return made


TARGETS = State("projects to issue 督办 on", _targets)
ISSUED, REPLIED = order("issued"), order("replied")
ISSUE_FORM = {"reason": "停工两年未复工", "requirements": "限期复工", "deadline_workdays": "5"}


def order_has(**fields):
    return c.exists("orders.SupervisionOrder", pk="{order}", **fields)


#                    office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
row("orders/", "GET", "/orders/", state=ISSUED, listed=c.links('id="order-{order}"'),
    rule="the issuers' list holds the orders their organisation issued; roles that never issue are refused",
    listing="ie - - c 403 403 403 403 403 403 login")
row("orders/inbox/", "GET", "/orders/inbox/", state=ISSUED, listed=c.links('id="order-{order}"'),
    rule="the inbox holds the orders addressed to the user's organisation; roles without projects are refused",
    listing="- - - c - - i 403 403 403 login")
row("orders/all/", "GET", "/orders/all/", state=ISSUED, listed=c.links('id="order-{order}"'),
    rule="the overview holds every order on the projects the user sees (the dashboard's 督办 figures link here); "
         "roles without a dashboard are refused",
    listing="ie ie i c i i 403 403 403 403 login")
row("orders/new/", "GET", "/orders/new/", rule="the office and the departments issue on an organisation",
    none="200 200 200 200 403 403 403 403 403 403 login")
row("orders/new/", "POST", "/orders/new/", state=NOTHING,
    data=lambda ids: {**ISSUE_FORM, "subject": _chifeng()},
    effect=lambda ids: _org_order_exists(), redirect=lambda ids: f"/orders/{_org_order().pk}/",
    rule="an issuer issues on an organisation within its reach (Baotou's bureau cannot reach Chifeng: the form "
         "says so); nobody else issues",
    none="302+ 302+ 200 302+ 403 403 403 403 403 403 login")
row("orders/new/<int:project_id>/", "GET", "/orders/new/{project}/", state=TARGETS,
    rule="the issue form is for who holds 督办 on the project: the office, its departments",
    in_scope="  200  200  200  404  403  403  403  404  404  404  login",
    elsewhere=" 200  200  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200  404  .    .    .    .    .    .")
row("orders/new/<int:project_id>/", "POST", "/orders/new/{project}/", state=TARGETS,
    data=lambda ids: {**ISSUE_FORM, "addressee": ids["addressee"]},
    effect=c.exists("orders.SupervisionOrder", project_id="{project}"),
    redirect=c.to_new("orders.SupervisionOrder", "/orders/{pk}/", project_id="{project}"),
    rule="the office issues on what it sees, a department on its field (its classified projects too)",
    in_scope="  302+ 302+ 302+ 404  403  403  403  404  404  404  login",
    elsewhere=" 302+ 302+ 404  .    404  .    .    .    .    .    .",
    classified="404  404  .    302+ 404  .    .    .    .    .    .")
row("orders/<int:pk>/", "GET", "/orders/{order}/", state=ISSUED,
    rule="an order is shown to the office, its two organisations and whoever sees its project; a classified "
         "project's only to its department",
    in_scope="  200  200  200  404  200  200  200  404  404  404  login",
    elsewhere=" 200  200  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200  404  .    .    .    .    .    .")
row("orders/<int:pk>/docx/", "GET", "/orders/{order}/docx/", state=ISSUED, rule="the 督办单 downloads as the page",
    in_scope="  200  200  200  404  200  200  200  404  404  404  login",
    elsewhere=" 200  200  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200  404  .    .    .    .    .    .")
row("orders/<int:pk>/reply/", "GET", "/orders/{order}/reply/", state=ISSUED,
    rule="the reply form is the addressee's; who sees the order but is not addressed is refused",
    in_scope="  403  403  403  404  403  403  200  404  404  404  login",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200  404  .    .    .    .    .    .")
row("orders/<int:pk>/reply/", "POST", "/orders/{order}/reply/", state=ISSUED, data={"measures": "已整改"},
    effect=order_has(status="replied"), redirect="/orders/{order}/",
    rule="the addressee replies; nobody else can",
    in_scope="  403  403  403  404  403  403  302+ 404  404  404  login",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    302+ 404  .    .    .    .    .    .")
row("orders/<int:pk>/<str:action>/", "POST", "/orders/{order}/accept/", state=REPLIED,
    effect=order_has(status="closed"), redirect="/orders/{order}/",
    rule="the issuer accepts a reply (办结/摘牌); anyone else who sees it is told no",
    in_scope="  302+ 302  302  404  302  302  302  404  404  404  login",
    elsewhere=" 302+ 302  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    302+ 404  .    .    .    .    .    .")
row("orders/<int:pk>/<str:action>/", "POST", "/orders/{order}/return/", state=REPLIED, data={"comment": "不充分"},
    effect=order_has(status="returned"), redirect="/orders/{order}/", rule="returning is accepting's rule",
    in_scope="  302+ .    .    .    .    .    302  .    .    .    .",
    classified=".    .    .    302+ .    .    .    .    .    .    .")
row("orders/<int:pk>/<str:action>/", "POST", "/orders/{order}/delete/", state=REPLIED, rule="there is no such action",
    in_scope="  404  .    .    .    .    .    .    .    .    .    login")

row("api/v1/orders", "GET", "/api/v1/orders?page_size=200", state=ISSUED, listed=c.json_ids("order"),
    rule="the API lists exactly the orders the user may see",
    listing="ie ie i c i i i - - - 401")
row("api/v1/orders", "POST", "/api/v1/orders", state=TARGETS, body="json",
    data=lambda ids: {"project_id": ids["project"], "addressee_id": ids["addressee"], "reason": "停工两年",
                      "requirements": "限期复工", "deadline_workdays": 5},
    effect=c.exists("orders.SupervisionOrder", project_id="{project}"),
    rule="the office and the project's departments issue through the API; who sees the project but does not "
         "supervise is refused",
    in_scope="  201+ 201+ 201+ 404  403  403  403  404  404  404  401",
    elsewhere=" 201+ 201+ 404  .    404  .    .    .    .    .    .",
    classified="404  404  .    201+ 404  .    .    .    .    .    .")
row("api/v1/orders/<int:order_id>", "GET", "/api/v1/orders/{order}", state=ISSUED,
    rule="an order's record is there for whoever may see it",
    in_scope="  200  200  200  404  200  200  200  404  404  404  401",
    elsewhere=" 200  200  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200  404  .    .    .    .    .    .")
row("api/v1/orders/<int:order_id>/reply", "POST", "/api/v1/orders/{order}/reply", state=ISSUED, body="json",
    data={"measures": "已整改"}, effect=order_has(status="replied"), rule="the addressee replies through the API",
    in_scope="  403  403  403  404  403  403  200+ 404  404  404  401",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200+ 404  .    .    .    .    .    .")
API_ORDER = "/api/v1/orders/{order}/actions/"
row("api/v1/orders/<int:order_id>/actions/<action>", "POST", API_ORDER + "accept", state=REPLIED, body="json",
    data={}, effect=order_has(status="closed"), rule="the issuer accepts through the API",
    in_scope="  200+ 403  403  404  403  403  403  404  404  404  401",
    elsewhere=" 200+ 403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200+ 404  .    .    .    .    .    .")
row("api/v1/orders/<int:order_id>/actions/<action>", "POST", API_ORDER + "return", state=REPLIED, body="json",
    data={"comment": "不充分"}, effect=order_has(status="returned"), rule="returning is accepting's rule",
    in_scope="  200+ .    .    .    .    .    403  .    .    .    .",
    classified=".    .    .    200+ .    .    .    .    .    .    .")
row("api/v1/orders/<int:order_id>/actions/<action>", "POST", API_ORDER + "delete", state=REPLIED, body="json",
    data={}, rule="there is no such action",
    in_scope="  404  .    .    .    .    .    .    .    .    .    .")


# ---- 督办 on an organisation and their evidence files (no project: files/owners.py, orders/evidence.py) --------
# in_scope: Baotou's education bureau supervises the Donghe government (the county's); elsewhere: the office
# supervises Chifeng's government. Such an order is seen by the office, its issuer and its addressee only — it has
# no project whose viewers would see it — and so is the evidence of its replies.

def _org_orders(status: str, with_evidence: bool):
    def setup(world):
        import datetime as dt

        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.utils import timezone

        from halfbuilt.core.request_context import Actor
        from halfbuilt.files.services import store_upload
        from halfbuilt.supervision.orders.models import EventKind, OrderEvent, SupervisionOrder

        today = timezone.localdate()
        made = {NONE: {}}
        cases = {IN_SCOPE: ("department_baotou", "county", "county"), ELSEWHERE: ("office", "chifeng", "office")}
        for number, (kind, (issuer, subject, uploader)) in enumerate(cases.items(), start=20):
            org = world.orgs[subject]
            order = SupervisionOrder.objects.create(
                subject=org, issuer_org=world.orgs[issuer], addressee=org, issued_by=world.users[issuer],
                year=today.year, number=number, doc_no=f"矩阵督〔{today.year}〕{number}号", reason="进度滞后",
                requirements="全面排查", issued_on=today, deadline=today + dt.timedelta(days=7), deadline_workdays=5,
                status=status)
            made[kind] = {"order": order.pk}
            if with_evidence:
                stored = store_upload(actor=Actor(user=world.users[uploader]), project=None,
                                      upload=SimpleUploadedFile(f"{kind}.pdf", PDF), kind="evidence")
                event = OrderEvent.objects.create(order=order, kind=EventKind.REPLY, text="已整改",
                                                  by=world.users[uploader])
                event.evidence.add(stored)
                made[kind]["attachment"] = str(stored.pk)
        return made

    label = "督办 on an organisation " + status + (" with its reply's evidence" if with_evidence else "")
    return State(label, setup, kinds=(NONE, IN_SCOPE, ELSEWHERE))


ORG_ISSUED, ORG_EVIDENCE = _org_orders("issued", False), _org_orders("replied", True)

#                    office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
row("orders/<int:pk>/reply/", "POST", "/orders/{order}/reply/", state=ORG_ISSUED,
    data=lambda ids: {"measures": "已整改", "files": pdf_upload("整改报告.pdf")},
    effect=c.exists("files.Attachment", project__isnull=True, original_name="整改报告.pdf"),
    redirect="/orders/{order}/",
    rule="the addressee of an order on an organisation replies with a file (it belongs to no project); who sees "
         "the order but is not addressed is refused, and stores nothing",
    in_scope="  403  404  403  404  404  302+ 404  404  404  404  login")
row("api/v1/orders/<int:order_id>/reply/files", "POST", "/api/v1/orders/{order}/reply/files", state=ORG_ISSUED,
    body="multipart", data=lambda ids: {"measures": "已整改", "files": pdf_upload("接口整改报告.pdf")},
    effect=c.exists("files.Attachment", project__isnull=True, original_name="接口整改报告.pdf"),
    rule="the API's reply with files follows the reply page's rule",
    in_scope="  403  404  403  404  404  200+ 404  404  404  404  401")
row("api/v1/orders/<int:order_id>/reply/files", "POST", "/api/v1/orders/{order}/reply/files", state=ISSUED,
    body="multipart", data=lambda ids: {"measures": "已整改", "files": pdf_upload("项目整改报告.pdf")},
    effect=order_has(status="replied"),
    rule="on an order on a project too: the addressee replies with files, nobody else can",
    in_scope="  403  403  403  404  403  403  200+ 404  404  404  401",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200+ 404  .    .    .    .    .    .")
row("files/<uuid:id>/", "GET", "/files/{attachment}/", state=ORG_EVIDENCE, shows=c.is_the_pdf,
    rule="the evidence of an order on an organisation downloads for whoever may see the order (the office, its "
         "issuer, its addressee), for nobody else: not the league above the county, not the project roles",
    in_scope="  200+ 404  200+ 404  404  200+ 404  404  404  404  login",
    elsewhere=" 200+ 404  404  .    404  404  .    .    .    .    .")
row("api/v1/files/<uuidstr:attachment_id>/content", "GET", "/api/v1/files/{attachment}/content",
    state=ORG_EVIDENCE, shows=c.is_the_pdf, raw=True, rule="the API downloads it by the same rule",
    in_scope="  200+ 404  200+ 404  404  200+ 404  404  404  404  401",
    elsewhere=" 200+ 404  404  .    404  404  .    .    .    .    .")
row("api/v1/files/<uuidstr:attachment_id>", "GET", "/api/v1/files/{attachment}", state=ORG_EVIDENCE,
    rule="its record (project null) by the same rule",
    in_scope="  200  404  200  404  404  200  404  404  404  404  401",
    elsewhere=" 200  404  404  .    404  404  .    .    .    .    .")


def _chifeng() -> int:
    from halfbuilt.accounts.models import Organization

    return Organization.objects.get(name="赤峰市人民政府").pk


def _org_order():
    from halfbuilt.supervision.orders.models import SupervisionOrder

    return SupervisionOrder.objects.get(subject_id=_chifeng())


def _org_order_exists() -> bool:
    from halfbuilt.supervision.orders.models import SupervisionOrder

    return SupervisionOrder.objects.filter(subject_id=_chifeng()).exists()
