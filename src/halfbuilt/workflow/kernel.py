"""One way to change the state of anything that has a state.

An aggregate (a project's ledger status, a plan's review, a closure request, a 回头看 check …) declares a
`Workflow`: its model, its explicit table of `Transition`s and a few hooks. The kernel then

- answers "which actions may this user take on this object now" in one query (`allowed`), for pages, API and
  menus alike;
- performs a transition (`perform`) in one transaction: lock the project row first, then the aggregate's (one
  fixed order for every flow, so two flows on one project never deadlock), check the action against the table
  and the user's scope, check the version, check the comment, apply, save, write the change log, and move the
  project's disposal stage when the table says so.

Services that write more than a state (an edit allowed only in some states) use `begin` for the same locks and
checks, then write their fields themselves.

Who may act is asked of the project by default: the transition's `scope` is a scope action the user must hold
on the object's project. An aggregate whose rights are its own (a 督办 answered by its addressee, a 实施方案 filed
by a league, anything not tied to one project) passes `own_scope=True`: its manager then provides
`restrict(user)` (what the user may see) and `permitted_actions(user, obj, scopes)` (which of `scopes` the user
holds on `obj`), and `project_field` may be None or a nullable key. The project, when there is one, is still
locked first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from halfbuilt.audit.services import record_change
from halfbuilt.core import inputs
from halfbuilt.core.errors import ConflictError, NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.models import Project
from halfbuilt.ledger.stages import move_stage

from .signals import transition_performed

# The source state of a table's opening row: the aggregate's creation by its service (`Workflow.opened`).
CREATED = ""


@dataclass(frozen=True)
class Transition:
    """One row of an aggregate's table: from `source`, `action` leads to `target` for whoever holds `scope`
    (a scope action of `accounts.scope.ACTIONS`) on the object's project."""

    source: str
    action: str
    target: str
    scope: str
    label: str  # the verb, as the button shows it: 纳入台账
    comment: str = ""  # label of the comment field; empty: the form has none
    comment_required: bool = False
    comment_missing: str = ""  # the message when a required comment is missing, when the default says too little
    confirm: str = ""  # asked before the form is sent
    help: str = ""  # a line under the button
    done: str = ""  # the success message
    stage: str | None = None  # the project's disposal stage afterwards (None: unchanged)
    stage_reason: str = ""  # why, in the stage move's log entry ("{comment}": the comment); default the comment
    danger: bool = False
    # False for rows a service takes as part of a larger write (an edit allowed in this state), not a button.
    button: bool = True
    log_label: str = ""  # how the change log names it, when not `label`


@dataclass
class Step:
    """What `begin` hands a service: both rows locked, the transition checked."""

    project: Project | None  # None for an aggregate tied to no project
    obj: models.Model
    transition: Transition
    before: dict = field(default_factory=dict)


Hook = Callable[..., Any]


class Workflow:
    def __init__(
        self,
        *,
        model: type[models.Model],
        transitions: Iterable[Transition],
        noun: str,
        state_field: str = "status",
        project_field: str | None = "project",
        log_prefix: str = "",
        comment_max: int = 500,
        comment_field: str = "comment",
        refused: str | None = None,
        snapshot: Hook | None = None,
        guard: Hook | None = None,
        apply: Hook | None = None,
        own_scope: bool = False,
    ) -> None:
        """`noun` names the object in messages (该方案); `project_field` is None when the aggregate is the project.
        Hooks: `snapshot(obj) -> dict` for the change log; `guard(step, comment)` raises ServiceError for rules
        beyond the table; `apply(step, comment, actor) -> fields` sets what else the transition changes."""
        self.model = model
        self.transitions = list(transitions)
        self.table = {(t.source, t.action): t for t in self.transitions}
        if len(self.table) != len(self.transitions):
            raise ValueError(f"{model.__name__}: two transitions share a (state, action)")
        self.actions = {t.action for t in self.transitions}
        self.noun = noun
        self.state_field = state_field
        self.project_field = project_field
        self.log_prefix = log_prefix
        self.comment_max = comment_max
        self.comment_field = comment_field  # the form's and the API's name of the comment
        # The message for an action the current state does not allow ("{state}": that state), when it means
        # "someone did it already" (a conflict, 409) rather than the default "not in this state".
        self.refused = refused
        self.snapshot = snapshot or self._state_snapshot
        self.guard = guard
        self.apply = apply
        self.own_scope = own_scope
        if project_field is None and not own_scope and model is not Project:
            raise ValueError(f"{model.__name__}: without a project field the aggregate must be the project "
                             "or carry its own scope (own_scope=True)")

    # --- reading -------------------------------------------------------------------------------------

    def state(self, obj: models.Model) -> str:
        return getattr(obj, self.state_field)

    def state_label(self, obj: models.Model) -> str:
        return getattr(obj, f"get_{self.state_field}_display")()

    def project_id(self, obj: models.Model) -> int | None:
        if self.project_field is None:
            return None if self.own_scope else obj.pk
        return getattr(obj, f"{self.project_field}_id")

    def permitted(self, user, obj: models.Model, scopes: set[str]) -> set[str]:
        """Which of `scopes` the user holds on `obj`: one query."""
        if self.own_scope:
            return set(self.model.objects.permitted_actions(user, obj, scopes))
        return set(Project.objects.permitted_actions(user, self.project_id(obj), scopes))

    def label(self, action: str) -> str:
        return next(t.label for t in self.transitions if t.action == action)

    def log_action(self, transition: Transition) -> str:
        return f"{self.log_prefix}{transition.action}"

    def log_labels(self) -> dict[str, str]:
        """Change-log action → its Chinese name, for the audit registry."""
        return {self.log_action(t): t.log_label or t.label for t in self.transitions if t.button}

    def allowed(self, user, obj: models.Model) -> list[Transition]:
        """The transitions (buttons and edits) this user may take on `obj` in its current state: one query."""
        candidates = [t for t in self.transitions if t.source == self.state(obj)]
        if not candidates:
            return []
        permitted = self.permitted(user, obj, {t.scope for t in candidates})
        return [t for t in candidates if t.scope in permitted]

    def buttons(self, user, obj: models.Model) -> list[Transition]:
        return [t for t in self.allowed(user, obj) if t.button]

    def action_names(self, user, obj: models.Model) -> list[str]:
        """The actions of `buttons`, as the API lists them (`allowed_actions`)."""
        return [t.action for t in self.buttons(user, obj)]

    def button_actions(self) -> list[str]:
        return list(dict.fromkeys(t.action for t in self.transitions if t.button))

    # --- writing -------------------------------------------------------------------------------------

    def begin(
        self, *, actor: Actor, obj: models.Model | int, action: str, version: int | None = None,
        label: str | None = None, refused: str | Callable[[models.Model], str] | None = None,
    ) -> Step:
        """Lock the project, then the aggregate; check the action, the scope and the version. Call inside the
        service's transaction. `label` names what the service does in messages (安排节点), `refused` replaces
        the message for a state the action is not allowed in ("{state}" is the current state, or a function of
        the locked object)."""
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("Workflow.begin must run inside the service's transaction")
        if action not in self.actions:
            raise ServiceError(_("未知操作：{action}").format(action=action))
        label = label or self.label(action)
        pk = obj.pk if isinstance(obj, models.Model) else obj
        missing = NotAllowed(_("{noun}不存在，或您无权查看").format(noun=self.noun))
        project, locked = self._lock(actor.user, pk)
        if locked is None:
            raise missing
        transition = self.table.get((self.state(locked), action))
        # Who may never take this action (in no state) is told so, not that the state is wrong.
        scopes = {transition.scope} if transition else {t.scope for t in self.transitions if t.action == action}
        if not self.permitted(actor.user, locked, scopes):
            raise NotAllowed(_("您无权{action}（{noun}当前状态为“{state}”）").format(
                action=label, noun=self.noun, state=self.state_label(locked)))
        if transition is None:
            state = self.state_label(locked)
            if refused:
                raise ServiceError(refused(locked) if callable(refused) else refused.format(state=state))
            if self.refused:
                raise ConflictError(self.refused.format(state=state))
            message = _("{noun}当前状态为“{state}”，不能{action}")
            raise ServiceError(message.format(noun=self.noun, state=state, action=label))
        current = getattr(locked, "version", None)
        if version is not None and current is not None and current != version:
            raise ConflictError(
                _("该{noun}已被他人修改（当前版本 {current}，您看到的是版本 {version}）。请刷新后核对最新内容再操作。")
                .format(noun=self.noun, current=current, version=version)
            )
        return Step(project=project, obj=locked, transition=transition, before=self.snapshot(locked))

    def _lock(self, user, pk: Any) -> tuple[Project | None, models.Model | None]:
        """Lock the project, then the aggregate; (project, aggregate), the aggregate None when the user may not see
        it. Visibility is checked with the lock: what the user may not see answers as if it did not exist."""
        if self.project_field is None and not self.own_scope:  # the aggregate is the project
            project = Project.objects.restrict(user).select_for_update().filter(pk=pk).first()
            return project, project
        project_id = None
        if self.project_field is not None:
            project_id = self.model.objects.filter(pk=pk).values_list(f"{self.project_field}_id", flat=True).first()
        if self.own_scope:
            project = Project.objects.select_for_update().filter(pk=project_id).first() if project_id else None
            visible = self.model.objects.restrict(user)
        else:
            if project_id is None:
                return None, None
            project = Project.objects.restrict(user).select_for_update().filter(pk=project_id).first()
            if project is None:
                return None, None
            visible = self.model.objects.all()
        locked = visible.select_for_update(of=("self",)).filter(pk=pk).first()
        if locked is not None and project is not None:
            setattr(locked, self.project_field, project)
        return project, locked

    @transaction.atomic
    def perform(
        self, *, actor: Actor, obj: models.Model | int, action: str, comment: str = "", version: int | None = None,
    ) -> models.Model:
        if action not in self.button_actions():  # edits are the services' own writes, via `begin`
            raise ServiceError(_("未知操作：{action}").format(action=action))
        step = self.begin(actor=actor, obj=obj, action=action, version=version)
        transition, locked = step.transition, step.obj
        comment = (comment or "").strip()
        if transition.comment_required and not comment:
            what = transition.comment or _("意见")
            missing_comment = _("{action}必须填写{what}").format(action=transition.label, what=what)
            message = transition.comment_missing or missing_comment
            raise ServiceError(message, field=self.comment_field)
        if len(comment) > self.comment_max:
            raise ServiceError(
                inputs.too_long_message(transition.comment or _("意见"), self.comment_max, len(comment)),
                field=self.comment_field,
            )
        if self.guard is not None:
            self.guard(step, comment)
        setattr(locked, self.state_field, transition.target)
        fields = {self.state_field, *(self.apply(step, comment, actor) if self.apply else ())}
        self.save(locked, fields)
        project = step.project
        record_change(
            actor=actor, action=self.log_action(transition), obj=locked, before=step.before,
            after=self.snapshot(locked), reason=comment, project_id=project.pk if project else None,
            classified=project.classified if project else False,
        )
        # Inside the transaction: what receivers write (a notification in the inbox) commits or fails with it.
        transition_performed.send(sender=self.model, workflow=self, obj=locked, transition=transition,
                                  actor=actor, comment=comment)
        if transition.stage and project is not None:
            reason = transition.stage_reason.format(comment=comment) if transition.stage_reason else ""
            reason = reason or comment or transition.label
            moved = move_stage(actor=actor, project=project, to=transition.stage, reason=reason)
            if self.project_field is None:
                return moved
            setattr(locked, self.project_field, moved)
        return locked

    def opened(self, *, actor: Actor, obj: models.Model, action: str) -> None:
        """Announce an aggregate its service has just created, by the table's opening row (from CREATED, a
        non-button row): the receivers of `transition_performed` hear it as they hear every other step. Call
        inside the creating transaction, after its change-log entry."""
        transition = self.table.get((CREATED, action))
        if transition is None or transition.button or self.state(obj) != transition.target:
            raise ValueError(f"{self.model.__name__}: no opening row {action!r} leading to {self.state(obj)!r}")
        transition_performed.send(sender=self.model, workflow=self, obj=obj, transition=transition, actor=actor,
                                  comment="")

    def save(self, obj: models.Model, fields: Iterable[str]) -> None:
        """Save `fields`, the version (+1) and auto_now timestamps; reload what the database computed (F())."""
        names = set(fields)
        if hasattr(obj, "version"):
            obj.version = F("version") + 1
            names.add("version")
        names |= {f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)}
        computed = [name for name in names if hasattr(getattr(obj, name), "resolve_expression")]
        obj.save(update_fields=sorted(names))
        if computed:
            obj.refresh_from_db(fields=computed)

    def _state_snapshot(self, obj: models.Model) -> dict:
        return {self.state_field: self.state(obj)}
