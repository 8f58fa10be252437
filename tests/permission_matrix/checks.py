"""What the table's rows read back: bodies, effects in the database, what a listing lists, redirect targets."""

from __future__ import annotations

import json

from .grid import CLASSIFIED, ELSEWHERE, IN_SCOPE


def text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8-sig", errors="replace")


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def kinds_where(ids: dict, present) -> set[str]:
    """The project kinds (of a state's ids) for which `present(their ids)` holds."""
    return {kind for kind in (IN_SCOPE, ELSEWHERE, CLASSIFIED) if kind in ids and present(ids[kind])}


# --- listings: which objects an answer lists ------------------------------------------------------------------

def project_names(response, ids) -> set[str]:
    from halfbuilt.ledger.models import Project

    body = text(response)
    return kinds_where(ids, lambda i: Project.objects.get(pk=i["project"]).name in body)


def links(template: str):
    """The kinds whose address (template over their ids) the page links to."""

    def listed(response, ids) -> set[str]:
        body = text(response)
        return kinds_where(ids, lambda i: template.format(**i) in body)

    return listed


def json_ids(key: str, *, results: bool = True, field: str = "id"):
    """The kinds whose `key` id (as the API writes it) is in the JSON list (under "results" for a page)."""

    def listed(response, ids) -> set[str]:
        items = response.json()["results"] if results else response.json()
        found = {str(item[field]) for item in items}
        return kinds_where(ids, lambda i: str(i[key]) in found)

    return listed


def count(response, ids) -> int:
    return response.json()["count"]


def context_rows(key: str, section: str | None = None, field: str = "pk"):
    """Disposal's queue: the kinds whose plan (or project) is among the page's plans, or a section's rows."""

    def listed(response, ids) -> set[str]:
        if section is None:
            shown = {obj.pk for obj in response.context["page"].object_list}
        else:
            shown = {getattr(obj, field) for s in response.context["sections"] if s["key"] == section
                     for obj in s["rows"]}
        return kinds_where(ids, lambda i: i[key] in shown)

    return listed


def dashboard_counted(response, ids) -> set[str]:
    """The kinds the dashboard counts: its project's league and its department both have a count on the page
    (the world's three projects differ in one or the other)."""
    from halfbuilt.ledger.models import Project

    board = response.context["board"]
    leagues = {row.key for row in board.leagues if row.n}
    departments = {row.key for row in board.departments if row.n}

    def counted(i) -> bool:
        project = Project.objects.get(pk=i["project"])
        return project.prefecture_id in leagues and project.department_id in departments

    return kinds_where(ids, counted)


def map_counted(league: str):
    """The kinds the dashboard's map counts in `league`'s counties: its project's county has a count on the map
    and its department one on the page (the classified project differs from in_scope by its department only)."""

    def listed(response, ids) -> set[str]:
        from halfbuilt.ledger.models import Project

        view = response.context["map"]
        counties = {a.row.key for a in view.areas if a.row.n} if view is not None and view.code == league else set()
        departments = {row.key for row in response.context["board"].departments if row.n}

        def counted(i) -> bool:
            project = Project.objects.get(pk=i["project"])
            return project.region_id in counties and project.department_id in departments

        return kinds_where(ids, counted)

    return listed


def screen_counted(response, ids) -> set[str]:
    """The kinds the 大屏's JSON counts: what the dashboard counts for the same user, provided the screen's total
    and league ranking are the dashboard's (else none, and the cell fails)."""
    from django.test import Client

    client = Client()
    client.force_login(response.wsgi_request.user)
    page = client.get("/dashboard/")
    board, data = page.context["board"], response.json()
    same = (data["figures"]["total"] == board.total.n
            and [(r["name"], r["n"]) for r in data["ranking"]] == [(r.name, r.n) for r in board.leagues])
    return dashboard_counted(page, ids) if same else set()


def xlsx_has(value: str):
    """(response, ids) → whether a cell of the workbook's first sheet reads `value`."""

    def shows(response, ids) -> bool:
        import io

        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_filelike(io.BytesIO(content(response)))
        rows = book.get_sheet_by_index(0).to_python()
        return any(value == cell for row in rows for cell in row)

    return shows


def sample_checks_json(response, ids) -> set[str]:
    shown = {c["project_id"] for c in response.json()["checks"]}
    return kinds_where(ids, lambda i: i["project"] in shown)


# --- effects: did the write happen? ------------------------------------------------------------------------------

def exists(model_path: str, **lookups):
    """ids → whether a row of `app.Model` matches; a lookup value "{key}" is taken from the ids."""

    def effect(ids) -> bool:
        from django.apps import apps

        model = apps.get_model(model_path)
        resolved = {k: ids[v[1:-1]] if isinstance(v, str) and v.startswith("{") else v for k, v in lookups.items()}
        return model.objects.filter(**resolved).exists()

    return effect


def project_has(**fields):
    return exists("ledger.Project", pk="{project}", **fields)


ENCRYPTED_PLAN_FIELDS = {"responsible_person", "responsible_phone"}  # no SQL lookup: compared in Python


def plan_has(**fields):
    """ids → whether the plan holds these values."""
    lookups = {k: v for k, v in fields.items() if k not in ENCRYPTED_PLAN_FIELDS}
    compared = {k: v for k, v in fields.items() if k in ENCRYPTED_PLAN_FIELDS}

    def effect(ids) -> bool:
        from halfbuilt.disposal.models import Plan

        plan = Plan.objects.filter(pk=ids["plan"], **lookups).first()
        return plan is not None and all(getattr(plan, key) == value for key, value in compared.items())

    return effect


def closure_has(**fields):
    return exists("closure.ClosureRequest", pk="{closure}", **fields)


def drew_the_visible_closed_projects(ids) -> bool:
    """A sample was drawn, of the office's closed projects only: never the classified one."""
    from halfbuilt.closure.models import FollowUpSample

    sample = FollowUpSample.objects.first()
    if sample is None:
        return False
    drawn = set(sample.checks.values_list("project_id", flat=True))
    return drawn == {ids["projects"][IN_SCOPE], ids["projects"][ELSEWHERE]}


def check_failed_and_reopened(ids) -> bool:
    from halfbuilt.closure.models import FollowUpCheck
    from halfbuilt.ledger.models import Project

    return (FollowUpCheck.objects.filter(pk=ids["check"], result="failed").exists()
            and Project.objects.filter(pk=ids["project"], stage="disposing").exists())


def closure_requested(ids) -> bool:
    from halfbuilt.closure.models import ClosureRequest
    from halfbuilt.ledger.models import Project

    return (ClosureRequest.objects.filter(project_id=ids["project"], status="requested").exists()
            and Project.objects.filter(pk=ids["project"], stage="closing").exists())


# --- redirect targets known only after the write -------------------------------------------------------------------

def to_new(model_path: str, address: str, **lookups):
    """The address of the object the request made (looked up as `exists` does)."""

    def target(ids) -> str:
        from django.apps import apps

        model = apps.get_model(model_path)
        resolved = {k: ids[v[1:-1]] if isinstance(v, str) and v.startswith("{") else v for k, v in lookups.items()}
        return address.format(pk=model.objects.get(**resolved).pk)

    return target


# --- reads that must show something ----------------------------------------------------------------------------------

def contains(template: str):
    def shows(response, ids) -> bool:
        return template.format(**ids) in text(response)

    return shows


def is_the_pdf(response, ids) -> bool:
    from .world import PDF

    return content(response) == PDF and response["X-Content-Type-Options"] == "nosniff"


def signed_out(response, ids) -> bool:
    return not response.wsgi_request.user.is_authenticated


def method_labels_in_order(response, ids) -> bool:
    return [m["label"] for m in response.json()] == ["完善手续", "复工续建", "引导盘活", "司法处置", "依法拆除"]


def schema_lists_the_projects(response, ids) -> bool:
    return "/api/v1/projects" in json.loads(content(response))["paths"]


def lists_only(key: str, *, results: bool = True):
    """The JSON list holds exactly the row's object."""

    def shows(response, ids) -> bool:
        items = response.json()["results"] if results else response.json()
        return [str(item["id"]) for item in items] == [str(ids[key])]

    return shows


# --- notifications: what the requesting user's own rows say ----------------------------------------------------------

def own_notifications_read(response, ids) -> bool:
    """The requester's notifications are all read, and every other user's still unread."""
    from halfbuilt.notifications.models import Notification

    user = response.wsgi_request.user
    return (not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
            and not Notification.objects.exclude(recipient=user).filter(read_at__isnull=False).exists())


def own_preferences_saved(response, ids) -> bool:
    """The requester's preferences are saved, nobody else's."""
    from halfbuilt.notifications.models import Preference

    user = response.wsgi_request.user
    return (Preference.objects.filter(user=user, event="report_late").exists()
            and not Preference.objects.exclude(user=user).exists())
