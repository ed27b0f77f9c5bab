from __future__ import annotations

from .._runtime import OpenEnum


class TripType(OpenEnum):
    """Values of TripRecord.type."""

    UNKNOWN = "unknown"
    DELIVERY = "delivery"
    PICKUP = "pickup"
    TRANSFER = "transfer"
    PERSONAL = "personal"
    UNKNOWN_FUTURE_VALUE = "unknownFutureValue"
