from __future__ import annotations

import dataclasses

from .entity import Entity

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime

    from .depot_access_level import DepotAccessLevel
    from .depot_location import DepotLocation
    from .vehicle import Vehicle


@dataclasses.dataclass(kw_only=True, repr=False)
class Depot(Entity):
    """Represents a yard or garage where fleet vehicles are parked, loaded and serviced.
    A depot can serve several fleets; each vehicle names one depot as its home.
    """

    access_level: DepotAccessLevel | str | None = None
    """Who may enter the depot without an escort. The possible values are listed in the
    following table.
    """

    bay_count: int | None = None
    """The number of parking bays, including bays reserved for maintenance."""

    closing_time: datetime.time | None = None
    """The local time at which the gates close, for example 22:00:00."""

    display_name: str | None = None
    """The name of the depot, as shown on dispatch screens."""

    location: DepotLocation | None = None
    """The postal address and coordinates of the main gate."""

    opening_time: datetime.time | None = None
    """The local time at which the gates open, for example 05:30:00."""

    vehicles: list[Vehicle] | None = None
    """The vehicles that have this depot as their home depot. Read-only. Nullable."""

    phone_number: str | None = None

    _odata_type_ = "microsoft.graph.depot"
    # One field a row: wire name, field name, OData type, flags (see _runtime).
    _fields_ = """
        accessLevel access_level microsoft.graph.depotAccessLevel
        bayCount bay_count Edm.Int32
        closingTime closing_time Edm.TimeOfDay
        displayName display_name Edm.String
        location location microsoft.graph.depotLocation
        openingTime opening_time Edm.TimeOfDay
        vehicles vehicles Collection(microsoft.graph.vehicle) readonly,navigation,nullable
        phoneNumber phone_number Edm.String
    """
