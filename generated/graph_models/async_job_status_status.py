from __future__ import annotations

import enum


class AsyncJobStatusStatus(str, enum.Enum):
    """Values of asyncJobStatus.status."""

    NOT_STARTED = "notStarted"
    """The work has been enqueued but not yet picked up."""

    IN_PROGRESS = "inProgress"
    """The work is being actively processed."""

    COMPLETED = "completed"
    """The work has been completed."""

    FAILED = "failed"
    """The work failed."""

    CANCELLED = "cancelled"
    """The work was cancelled."""

    WAITING = "waiting"
    """The work was interrupted, but will be tried again."""

    CANCEL_PENDING = "cancelPending"
    """The work was cancelled, but processing has not yet aborted."""

    @classmethod
    def _missing_(cls, value: object) -> AsyncJobStatusStatus | None:
        """Keep a value the docs do not list instead of refusing it.

        The pseudo-member is cached, so the same value always gives the same object.
        """
        if not isinstance(value, str):
            return None
        member = _unknown.get(value)
        if member is None:
            member = str.__new__(cls, value)
            member._name_ = value
            member._value_ = value
            member = _unknown.setdefault(value, member)
        return member


_unknown: dict[str, AsyncJobStatusStatus] = {}
