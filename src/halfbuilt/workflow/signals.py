"""What the kernel tells the rest of the product."""

from django.dispatch import Signal

# Sent by `Workflow.perform` after a transition is saved and logged, inside its transaction, with the keyword
# arguments workflow, obj (the aggregate, in its new state), transition, actor and comment. Receivers that reach
# outside the database (an e-mail) do so in `transaction.on_commit`.
transition_performed = Signal()
