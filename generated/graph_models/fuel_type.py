from __future__ import annotations

from ._runtime import OpenEnum


class FuelType(OpenEnum):
    DIESEL = "diesel"
    PETROL = "petrol"
    ELECTRIC = "electric"
    HYDROGEN = "hydrogen"
    HYBRID = "hybrid"
