from __future__ import annotations

from ._runtime import OpenEnum


class DepotAccessLevel(OpenEnum):
    """Values of Depot.accessLevel."""

    STAFF_ONLY = "staffOnly"
    """Only employees of the organization may enter."""

    CONTRACTORS = "contractors"
    """Employees and registered contractors may enter."""

    PUBLIC = "public"
    """Anyone may enter during opening hours, for example to collect parcels."""

    UNKNOWN_FUTURE_VALUE = "unknownFutureValue"
    """Evolvable enumeration sentinel value. Do not use."""
