from __future__ import annotations

import dataclasses

from .entity import Entity

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime

    from .depot import Depot
    from .fleet_records.trip_record import TripRecord
    from .fuel_type import FuelType
    from .service_window import ServiceWindow
    from .vehicle_class import VehicleClass
    from .vehicle_document import VehicleDocument
    from .vehicle_features import VehicleFeatures


@dataclasses.dataclass(kw_only=True, repr=False)
class Vehicle(Entity):
    """Represents a single vehicle that belongs to a fleet. Specialized vehicles, such
    as a truck, derive from this type and add their own properties.
    """

    class_: VehicleClass | str | None = None
    """The size class of the vehicle, used to pick parking bays and drivers with the
    right license. Possible values are: compact, standard, heavy, unknownFutureValue.
    """

    documents: list[VehicleDocument] | None = None
    """Scanned registration papers, permits and insurance certificates for the vehicle."""

    features: VehicleFeatures | str | None = None
    """The special equipment of the vehicle, for example towHitch,refrigeration."""

    fuel_type: FuelType | str | None = None
    """The kind of energy the vehicle runs on."""

    is_active: bool | None = None
    """true if the vehicle can be dispatched; false while it is out of service."""

    make: str | None = None
    """The manufacturer of the vehicle."""

    model: str | None = None
    """The model name given by the manufacturer."""

    next_service: ServiceWindow | None = None
    """The next planned workshop visit, if one is booked."""

    purchase_date: datetime.date | None = None
    """The date on which the organization took ownership of the vehicle."""

    tags: list[str] | None = None
    """Free-form labels that dispatchers attach to the vehicle, for example
    refrigerated.
    """

    vin: str | None = None
    """The vehicle identification number, 17 characters. Addressable as
    /fleets/{fleet-id}/vehicles/{vin}.
    """

    home_depot: Depot | None = None
    """The depot where the vehicle is parked overnight. Nullable."""

    trips: list[TripRecord] | None = None
    """The recorded trips of the vehicle. Read-only. Nullable."""

    _odata_type_ = "microsoft.graph.vehicle"
    # One field a row: wire name, field name, OData type, flags (see _runtime).
    _fields_ = """
        class class_ microsoft.graph.vehicleClass
        documents documents Collection(microsoft.graph.vehicleDocument)
        features features microsoft.graph.vehicleFeatures
        fuelType fuel_type microsoft.graph.fuelType
        isActive is_active Edm.Boolean
        make make Edm.String
        model model Edm.String
        nextService next_service microsoft.graph.serviceWindow
        purchaseDate purchase_date Edm.Date
        tags tags Collection(Edm.String)
        vin vin Edm.String
        homeDepot home_depot microsoft.graph.depot navigation,nullable
        trips trips Collection(microsoft.graph.fleetRecords.tripRecord) readonly,navigation,nullable
    """
