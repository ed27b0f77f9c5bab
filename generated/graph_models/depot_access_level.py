from __future__ import annotations

import enum


class DepotAccessLevel(str, enum.Enum):
    STAFF_ONLY = "staffOnly"
    """Only employees of the organization may enter."""

    CONTRACTORS = "contractors"
    """Employees and registered contractors may enter."""

    PUBLIC = "public"
    """Anyone may enter during opening hours, for example to collect parcels."""

    UNKNOWN_FUTURE_VALUE = "unknownFutureValue"
    """Evolvable enumeration sentinel value. Do not use."""

    @classmethod
    def _missing_(cls, value: object) -> DepotAccessLevel | None:
        """Keep a value the docs do not list instead of refusing it.

        The pseudo-member is cached, so the same value always gives the same object.
        """
        if not isinstance(value, str):
            return None
        member = _unknown.get(value)
        if member is None:
            member = str.__new__(cls, value)
            member._name_ = value
            member._value_ = value
            member = _unknown.setdefault(value, member)
        return member


_unknown: dict[str, DepotAccessLevel] = {}
