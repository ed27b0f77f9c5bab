from __future__ import annotations

from ._runtime import OpenEnum


class AsyncJobStatusStatus(OpenEnum):
    """Values of AsyncJobStatus.status."""

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
