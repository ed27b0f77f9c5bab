from __future__ import annotations

import enum


class TripType(str, enum.Enum):
    UNKNOWN = "unknown"
    DELIVERY = "delivery"
    PICKUP = "pickup"
    TRANSFER = "transfer"
    PERSONAL = "personal"
    UNKNOWN_FUTURE_VALUE = "unknownFutureValue"

    @classmethod
    def _missing_(cls, value: object) -> TripType | None:
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


_unknown: dict[str, TripType] = {}
