from __future__ import annotations

from ._runtime import OpenEnum


class FleetStatus(OpenEnum):
    """Values of Fleet.status."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    RETIRED = "retired"
    UNKNOWN_FUTURE_VALUE = "unknownFutureValue"
