from __future__ import annotations

import dataclasses

from .vehicle import Vehicle

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .service_window import ServiceWindow


@dataclasses.dataclass(kw_only=True, repr=False)
class Truck(Vehicle):
    """Represents a goods vehicle with a load bed or box body. Trucks record their
    payload and axle configuration so that dispatchers can respect weight limits on
    bridges and at loading docks.
    """

    axle_count: int | None = None
    """The number of axles, including lifted axles."""

    has_lift_gate: bool | None = None
    """Indicates whether the truck has a hydraulic lift gate at the rear."""

    payload_capacity_kilograms: float | None = None
    """The maximum load the truck may carry, in kilograms."""

    service_history: list[ServiceWindow] | None = None
    """Past workshop visits of the truck, most recent first. Read-only."""

    _odata_type_ = "microsoft.graph.truck"
    # One field a row: wire name, field name, OData type, flags (see _runtime).
    _fields_ = """
        axleCount axle_count Edm.Int32
        hasLiftGate has_lift_gate Edm.Boolean
        payloadCapacityKilograms payload_capacity_kilograms Edm.Double
        serviceHistory service_history Collection(microsoft.graph.serviceWindow) readonly
    """
