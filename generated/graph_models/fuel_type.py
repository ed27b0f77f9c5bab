from __future__ import annotations

import enum


class FuelType(str, enum.Enum):
    DIESEL = "diesel"
    PETROL = "petrol"
    ELECTRIC = "electric"
    HYDROGEN = "hydrogen"
    HYBRID = "hybrid"

    @classmethod
    def _missing_(cls, value: object) -> FuelType | None:
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


_unknown: dict[str, FuelType] = {}
