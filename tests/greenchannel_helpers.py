"""The green channel's test world, on top of tests/world.py: the reference data (authorities, procedures), the
in_scope project in disposal with a confirmed 完善手续 plan listing two missing procedures (规划许可, 消防验收),
and one user per authority concerned (Donghe's 自然资源局 and 消防救援大队) plus one not concerned (Chifeng's)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from halfbuilt.core.request_context import Actor

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
AUTHORITIES = {
    "zrzy": "包头市东河区自然资源局",
    "xf": "包头市东河区消防救援大队",
    "chifeng_zrzy": "赤峰市红山区自然资源局",
}


def pdf(name: str = "批复.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def load() -> None:
    from halfbuilt.greenchannel.loader import load_greenchannel

    load_greenchannel()


def authority_users(make_user) -> dict:
    from halfbuilt.accounts.models import Organization

    load()
    return {key: make_user("authority", Organization.objects.get(name=name), f"auth_{key}")
            for key, name in AUTHORITIES.items()}


def plan_in_disposal(project, *, kinds=("planning_permit", "fire_acceptance")):
    """A confirmed 完善手续 plan with its missing procedures, the project in disposal (written straight)."""
    from halfbuilt.disposal.methods import clean_facts
    from halfbuilt.disposal.models import Plan, Procedure
    from halfbuilt.ledger.models import Project

    Project.objects.filter(pk=project.pk).update(status="in_ledger", stage="disposing")
    project.refresh_from_db()
    plan = Plan.objects.create(project=project, method="procedures", lead_unit="东河区教育局",
                               responsible_person="张三", deadline=dt.date(2027, 12, 31), status="confirmed",
                               facts=clean_facts("procedures", {"central_approval_needed": False}))
    for kind in kinds:
        Procedure.objects.create(plan=plan, kind=kind)
    return plan


def actor(user) -> Actor:
    return Actor(user=user, ip="127.0.0.1")


def file(user, project, procedures=("planning_permit", "fire_acceptance"), **extra):
    from halfbuilt.greenchannel import services

    return services.file_request(actor=actor(user), project=project, procedures=list(procedures),
                                 note=extra.pop("note", "请求联审联办"), **extra)


def item_of(request, code: str):
    return request.items.get(procedure_type_id=code)
