from __future__ import annotations

from ._runtime import OpenFlags


class VehicleFeatures(OpenFlags):
    """Values of Vehicle.features."""

    NONE = "none"
    """No special equipment."""

    TOW_HITCH = "towHitch"
    """A hitch for pulling a trailer."""

    ROOF_RACK = "roofRack"
    """A rack for loads on the roof."""

    REFRIGERATION = "refrigeration"
    """A refrigerated load space."""

    WHEELCHAIR_RAMP = "wheelchairRamp"
    """A ramp for wheelchair access."""
