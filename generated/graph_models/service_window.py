from __future__ import annotations

import dataclasses

from ._runtime import Model

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime

    from .maintenance_priority import MaintenancePriority


@dataclasses.dataclass(kw_only=True, repr=False)
class ServiceWindow(Model):
    """A planned or completed period during which a vehicle is at the workshop and
    cannot be dispatched.
    """

    expected_duration: datetime.timedelta | None = None
    """How long the workshop expects the work to take, in ISO 8601 format, for example
    PT4H.
    """

    from_: datetime.datetime | None = None
    """The date and time when the vehicle is due at the workshop. The timestamp type
    represents date and time information using ISO 8601 format and is always in UTC
    time.
    """

    notes: str | None = None
    """Free-form notes for the mechanics. Text wrapped in triple quotes (\"\"") is printed
    on the work order verbatim.
    """

    priority: MaintenancePriority | str | None = None
    """How urgently the work must be done."""

    _odata_type_ = "microsoft.graph.serviceWindow"
    # One field a row: wire name, field name, OData type, flags (see _runtime).
    _fields_ = """
        expectedDuration expected_duration Edm.Duration
        from from_ Edm.DateTimeOffset
        notes notes Edm.String
        priority priority microsoft.graph.maintenancePriority
    """
