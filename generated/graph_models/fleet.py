from __future__ import annotations

import dataclasses

from .entity import Entity

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime

    from .depot import Depot
    from .depot_location import DepotLocation
    from .fleet_status import FleetStatus
    from .vehicle import Vehicle


@dataclasses.dataclass(kw_only=True, repr=False)
class Fleet(Entity):
    """Represents a group of vehicles and depots that an organization manages together,
    such as the delivery vans of one region or the forklifts of one warehouse.
    """

    created_date_time: datetime.datetime | None = None
    """The date and time when the fleet was created. Read-only."""

    description: str | None = None
    """A free-text description of the purpose of the fleet."""

    display_name: str | None = None
    """The name of the fleet, as shown to dispatchers. Required."""

    headquarters: DepotLocation | None = None
    """The postal address and coordinates of the office that runs the fleet."""

    status: FleetStatus | str | None = None
    """The operational state of the fleet."""

    vehicle_count: int | None = None
    """The number of vehicles currently assigned to the fleet. Read-only."""

    depots: list[Depot] | None = None
    """The depots that vehicles of this fleet may be parked at. Nullable."""

    vehicles: list[Vehicle] | None = None
    """The vehicles assigned to the fleet. Read-only. Nullable."""

    _odata_type_ = "microsoft.graph.fleet"
    # One field a row: wire name, field name, OData type, flags (see _runtime).
    _fields_ = """
        createdDateTime created_date_time Edm.DateTimeOffset readonly
        description description Edm.String
        displayName display_name Edm.String
        headquarters headquarters microsoft.graph.depotLocation
        status status microsoft.graph.fleetStatus
        vehicleCount vehicle_count Edm.Int32 readonly
        depots depots Collection(microsoft.graph.depot) navigation,nullable
        vehicles vehicles Collection(microsoft.graph.vehicle) readonly,navigation,nullable
    """
