from __future__ import annotations

import dataclasses

from ._runtime import Model

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .async_job_status_status import AsyncJobStatusStatus


@dataclasses.dataclass(kw_only=True, repr=False)
class AsyncJobStatus(Model):
    """Provides information on the status of a asynchronous job progress."""

    percentage_complete: float | None = None
    """A value between 0 and 100 that indicates the percentage complete."""

    status: AsyncJobStatusStatus | str | None = None
    """A string value that maps to an enumeration of possible values about the status of
    the job.
    """

    _odata_type_ = "microsoft.graph.asyncJobStatus"
    # One field a row: wire name, field name, OData type, flags (see _runtime).
    _fields_ = """
        percentageComplete percentage_complete Edm.Double
        status status microsoft.graph.asyncJobStatusStatus
    """
