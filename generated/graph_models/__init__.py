"""Models generated from the Microsoft Graph documentation.

Names are imported on first use, so `from graph_models import X` stays fast.
"""

from __future__ import annotations

import builtins as _builtins
import importlib as _importlib

TYPE_CHECKING = False

if TYPE_CHECKING:
    from ._odata import ODataError as ODataError
    from ._odata import Page as Page
    from ._odata import page_from_dict as page_from_dict
    from ._runtime import Model as Model
    from ._runtime import OpenEnum as OpenEnum
    from ._runtime import OpenFlags as OpenFlags
    from ._runtime import ValidationError as ValidationError
    from ._runtime import from_dict as from_dict
    from ._runtime import model_for as model_for
    from .async_job_status import AsyncJobStatus as AsyncJobStatus
    from .async_job_status_status import AsyncJobStatusStatus as AsyncJobStatusStatus
    from .depot import Depot as Depot
    from .depot_access_level import DepotAccessLevel as DepotAccessLevel
    from .depot_location import DepotLocation as DepotLocation
    from .entity import Entity as Entity
    from .fleet import Fleet as Fleet
    from .fleet_status import FleetStatus as FleetStatus
    from .fuel_type import FuelType as FuelType
    from .maintenance_priority import MaintenancePriority as MaintenancePriority
    from .service_window import ServiceWindow as ServiceWindow
    from .truck import Truck as Truck
    from .vehicle import Vehicle as Vehicle
    from .vehicle_class import VehicleClass as VehicleClass
    from .vehicle_document import VehicleDocument as VehicleDocument
    from .vehicle_features import VehicleFeatures as VehicleFeatures

_EXPORTS: _builtins.dict[_builtins.str, _builtins.str] = {
    "ODataError": "._odata",
    "Page": "._odata",
    "page_from_dict": "._odata",
    "Model": "._runtime",
    "OpenEnum": "._runtime",
    "OpenFlags": "._runtime",
    "ValidationError": "._runtime",
    "from_dict": "._runtime",
    "model_for": "._runtime",
    "AsyncJobStatus": ".async_job_status",
    "AsyncJobStatusStatus": ".async_job_status_status",
    "Depot": ".depot",
    "DepotAccessLevel": ".depot_access_level",
    "DepotLocation": ".depot_location",
    "Entity": ".entity",
    "Fleet": ".fleet",
    "FleetStatus": ".fleet_status",
    "FuelType": ".fuel_type",
    "MaintenancePriority": ".maintenance_priority",
    "ServiceWindow": ".service_window",
    "Truck": ".truck",
    "Vehicle": ".vehicle",
    "VehicleClass": ".vehicle_class",
    "VehicleDocument": ".vehicle_document",
    "VehicleFeatures": ".vehicle_features",
}

__all__: _builtins.list[_builtins.str] = [
    "AsyncJobStatus",
    "AsyncJobStatusStatus",
    "Depot",
    "DepotAccessLevel",
    "DepotLocation",
    "Entity",
    "Fleet",
    "FleetStatus",
    "FuelType",
    "MaintenancePriority",
    "Model",
    "ODataError",
    "OpenEnum",
    "OpenFlags",
    "Page",
    "ServiceWindow",
    "Truck",
    "ValidationError",
    "Vehicle",
    "VehicleClass",
    "VehicleDocument",
    "VehicleFeatures",
    "from_dict",
    "model_for",
    "page_from_dict",
]

# Hidden from type checkers, which see the imports above instead: a visible
# module __getattr__ would make every misspelt name type-check as `object`.
if not TYPE_CHECKING:

    def __getattr__(name: _builtins.str) -> _builtins.object:
        """Import an exported model on first use and cache it in the module."""
        module = _EXPORTS.get(name)
        if module is None:
            raise _builtins.AttributeError(
                f"module {__name__!r} has no attribute {name!r}"
            )
        value = _builtins.getattr(_importlib.import_module(module, __name__), name)
        _builtins.globals()[name] = value
        return value


def __dir__() -> _builtins.list[_builtins.str]:
    return _builtins.sorted(_builtins.set(_builtins.globals()) | _builtins.set(__all__))
