from __future__ import annotations

from .._runtime import OpenEnum


class TelemetrySource(OpenEnum):
    GPS = "gps"
    CELLULAR = "cellular"
    MANUAL = "manual"
