"""Work queues for the home page: each app says, for one user, what waits for them and how much.

An app exposes `queue_counts(user) -> list[QueueCount]`, built on the same querysets its own queue page lists,
read through `restrict`; the home page (`halfbuilt.home`) composes them. A queue the user's role carries
is always shown (with 0 when empty); one the user has only as a classified project's owning department (the
department doing the unit's or the office's part, `scope.CLASSIFIED_SELF_SERVICE`) only when it is not empty.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class QueueCount:
    key: str
    label: str
    count: int
    url: str
    hint: str = ""
    # Shown even when empty: the user's role carries this work.
    standing: bool = True
    # Something overdue or sent back: drawn in the warning colour when not empty.
    urgent: bool = False

    @property
    def shown(self) -> bool:
        return self.standing or self.count > 0
