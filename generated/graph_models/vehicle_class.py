from __future__ import annotations

from ._runtime import OpenEnum


class VehicleClass(OpenEnum):
    """Values of Vehicle.class."""

    COMPACT = "compact"
    STANDARD = "standard"
    HEAVY = "heavy"
    UNKNOWN_FUTURE_VALUE = "unknownFutureValue"
