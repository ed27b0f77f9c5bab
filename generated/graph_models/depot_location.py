from __future__ import annotations

import dataclasses

from ._runtime import Model


@dataclasses.dataclass(kw_only=True, repr=False)
class DepotLocation(Model):
    """The postal address and map coordinates of a site used by the fleet service, such
    as the gate of a depot or the head office of a fleet.
    """

    city: str | None = None
    """The city or town."""

    country_or_region: str | None = None
    """The two-letter ISO 3166 code of the country or region, for example NL."""

    latitude: float | None = None
    """The latitude of the site in decimal degrees (WGS 84)."""

    longitude: float | None = None
    """The longitude of the site in decimal degrees (WGS 84)."""

    postal_code: str | None = None
    """The postal code, in the format used by the country or region."""

    street: str | None = None
    """The street name and house number."""

    _odata_type_ = "microsoft.graph.depotLocation"
    # One field a row: wire name, field name, OData type, flags (see _runtime).
    _fields_ = """
        city city Edm.String
        countryOrRegion country_or_region Edm.String
        latitude latitude Edm.Double
        longitude longitude Edm.Double
        postalCode postal_code Edm.String
        street street Edm.String
    """
