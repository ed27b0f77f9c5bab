from __future__ import annotations

import dataclasses

from .._runtime import Model

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime

    from .telemetry_source import TelemetrySource


@dataclasses.dataclass(kw_only=True, repr=False)
class RoutePoint(Model):
    """One position of a vehicle recorded during a trip. The type is open: telematics
    units may add readings of their own sensors, such as a cargo temperature, as
    extra properties.
    """

    latitude: float | None = None
    """The latitude in decimal degrees (WGS 84)."""

    longitude: float | None = None
    """The longitude in decimal degrees (WGS 84)."""

    recorded_date_time: datetime.datetime | None = None
    """The date and time when the position was measured."""

    source: TelemetrySource | str | None = None
    """How the position was determined."""

    speed_kilometers_per_hour: float | None = None
    """The speed of the vehicle at that moment, in kilometers per hour."""

    _odata_type_ = "microsoft.graph.fleetRecords.routePoint"
    # One field a row: wire name, field name, OData type, flags (see _runtime).
    _fields_ = """
        latitude latitude Edm.Double
        longitude longitude Edm.Double
        recordedDateTime recorded_date_time Edm.DateTimeOffset
        source source microsoft.graph.fleetRecords.telemetrySource
        speedKilometersPerHour speed_kilometers_per_hour Edm.Double
    """
