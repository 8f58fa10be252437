"""The workflow kernel: every state transition of every aggregate (project, plan, closure request, 回头看 check,
and the flows to come) is performed here, from the aggregate's own explicit table. See docs/workflow.md."""

from .kernel import CREATED, Step, Transition, Workflow

__all__ = ["CREATED", "Step", "Transition", "Workflow"]
