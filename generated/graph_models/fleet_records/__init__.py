"""Models of one sub-namespace; names are imported on first use."""

from __future__ import annotations

import builtins as _builtins
import importlib as _importlib

TYPE_CHECKING = False

if TYPE_CHECKING:
    from .route_point import RoutePoint as RoutePoint
    from .telemetry_source import TelemetrySource as TelemetrySource
    from .trip_record import TripRecord as TripRecord
    from .trip_type import TripType as TripType

_EXPORTS: _builtins.dict[_builtins.str, _builtins.str] = {
    "RoutePoint": ".route_point",
    "TelemetrySource": ".telemetry_source",
    "TripRecord": ".trip_record",
    "TripType": ".trip_type",
}

__all__: _builtins.list[_builtins.str] = [
    "RoutePoint",
    "TelemetrySource",
    "TripRecord",
    "TripType",
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
