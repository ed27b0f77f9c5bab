from __future__ import annotations

from ._runtime import OpenEnum


class FuelType(OpenEnum):
    """Values of Vehicle.fuelType."""

    DIESEL = "diesel"
    PETROL = "petrol"
    ELECTRIC = "electric"
    HYDROGEN = "hydrogen"
    HYBRID = "hybrid"
