from __future__ import annotations

import enum


class MaintenancePriority(str, enum.Enum):
    """How urgently a vehicle must be serviced. Used by the priority property of
    serviceWindow.
    """

    LOW = "low"
    """The work can wait until the next regular inspection."""

    NORMAL = "normal"
    """The work should be done within two weeks."""

    HIGH = "high"
    """The work should be done within two days."""

    CRITICAL = "critical"
    """The vehicle must not be dispatched until the work is done."""

    @classmethod
    def _missing_(cls, value: object) -> MaintenancePriority | None:
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


_unknown: dict[str, MaintenancePriority] = {}
