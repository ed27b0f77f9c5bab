from __future__ import annotations

import dataclasses

from ..entity import Entity

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime
    import uuid

    from ..depot_location import DepotLocation
    from ..vehicle import Vehicle
    from .route_point import RoutePoint
    from .trip_type import TripType


@dataclasses.dataclass(kw_only=True, repr=False)
class TripRecord(Entity):
    """A record of one journey made by a vehicle, from the moment the engine starts
    until it is switched off at the destination. Trip records are written by the
    telematics unit and cannot be changed.
    """

    correlation_id: uuid.UUID | None = None
    """The identifier that the telematics unit assigned to the trip; use it when
    reporting a problem with the record.
    """

    distance_kilometers: float | None = None
    """The distance driven, in kilometers."""

    end_date_time: datetime.datetime | None = None
    """The date and time when the trip ended."""

    origin: DepotLocation | None = None
    """The site where the trip started, if it started at a known site."""

    route: list[RoutePoint] | None = None
    """The positions recorded during the trip, in time order."""

    start_date_time: datetime.datetime | None = None
    """The date and time when the trip started."""

    type: TripType | str | None = None
    """The purpose of the trip."""

    vehicle: Vehicle | None = None
    """The vehicle that made the trip. Read-only."""

    _odata_type_ = "microsoft.graph.fleetRecords.tripRecord"
    # One field a row: wire name, field name, OData type, flags (see _runtime).
    _fields_ = """
        correlationId correlation_id Edm.Guid
        distanceKilometers distance_kilometers Edm.Double
        endDateTime end_date_time Edm.DateTimeOffset
        origin origin microsoft.graph.depotLocation
        route route Collection(microsoft.graph.fleetRecords.routePoint)
        startDateTime start_date_time Edm.DateTimeOffset
        type type microsoft.graph.fleetRecords.tripType
        vehicle vehicle microsoft.graph.vehicle readonly,navigation
    """
