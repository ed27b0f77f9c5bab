from __future__ import annotations

from .._runtime import OpenEnum


class TelemetrySource(OpenEnum):
    """Values of RoutePoint.source."""

    GPS = "gps"
    CELLULAR = "cellular"
    MANUAL = "manual"
