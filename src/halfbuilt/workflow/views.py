"""The page side of the kernel: the action forms of an object, and the POST that performs one."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from halfbuilt.core.errors import ServiceError
from halfbuilt.core.request_context import Actor

from .kernel import Workflow


def action_panel(workflow: Workflow, user, obj, url_name: str, allowed=None) -> dict:
    """Context for `workflow/actions.html`: the buttons this user has on `obj` now. `allowed` reuses a list the
    view already has from `workflow.allowed` (one query per page)."""
    allowed = workflow.allowed(user, obj) if allowed is None else allowed
    return {
        "obj": obj,
        "url_name": url_name,
        "transitions": [t for t in allowed if t.button],
        "comment_field": workflow.comment_field,
        "comment_max": workflow.comment_max,
        "version": getattr(obj, "version", None),
    }


def perform_posted(request: HttpRequest, workflow: Workflow, obj, action: str, back: str, name: str) -> HttpResponse:
    """Perform the posted action on `obj` (already fetched from the user's visible set) and go back to `back`."""
    if action not in workflow.button_actions():
        raise Http404
    raw_version = request.POST.get("version", "")
    try:
        workflow.perform(
            actor=Actor.from_request(request), obj=obj, action=action,
            comment=request.POST.get(workflow.comment_field, ""),
            version=int(raw_version) if raw_version.isdigit() else None,
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        transition = next(t for t in workflow.transitions if t.action == action)
        done = transition.done or _("已{action}").format(action=transition.label)
        messages.success(request, _("“{name}”：{done}。").format(name=name, done=done))
    return redirect(back)
