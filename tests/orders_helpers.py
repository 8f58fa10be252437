"""Shared setup of the 督办 tests: issuing an order as a role, on a project or an organisation."""

from halfbuilt.core.request_context import Actor
from halfbuilt.supervision.orders import services


def issue(users, role="office", *, project=None, subject=None, addressee=None, days=5, **fields):
    data = {"reason": "停工两年未复工", "requirements": "制定复工方案并落实资金", "deadline_workdays": days, **fields}
    if project is not None and addressee is None:
        addressee = project.responsible_org
    return services.issue_order(actor=Actor(users[role]), project=project, subject=subject, addressee=addressee,
                                **data)


def reply(users, order, role="unit", measures="已落实资金，十月复工", **fields):
    return services.reply_order(actor=Actor(users[role]), order=order, measures=measures, **fields)


def review(users, order, action, role="office", comment=""):
    return services.review_order(actor=Actor(users[role]), order=order, action=action, comment=comment)
