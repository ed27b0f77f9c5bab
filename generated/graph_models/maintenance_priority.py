from __future__ import annotations

from ._runtime import OpenEnum


class MaintenancePriority(OpenEnum):
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
