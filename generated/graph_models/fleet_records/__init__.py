"""Models of one sub-namespace; names are imported on first use."""

from __future__ import annotations

import importlib as _importlib

TYPE_CHECKING = False

if TYPE_CHECKING:
    from .route_point import RoutePoint as RoutePoint
    from .telemetry_source import TelemetrySource as TelemetrySource
    from .trip_record import TripRecord as TripRecord
    from .trip_type import TripType as TripType

_EXPORTS: dict[str, str] = {
    "RoutePoint": ".route_point",
    "TelemetrySource": ".telemetry_source",
    "TripRecord": ".trip_record",
    "TripType": ".trip_type",
}

__all__: list[str] = [
    "RoutePoint",
    "TelemetrySource",
    "TripRecord",
    "TripType",
]

# Hidden from type checkers, which see the imports above instead: a visible
# module __getattr__ would make every misspelt name type-check as `object`.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        """Import an exported model on first use and cache it in the module."""
        module = _EXPORTS.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(_importlib.import_module(module, __name__), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
