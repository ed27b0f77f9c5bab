from __future__ import annotations

import dataclasses

from ._runtime import Model


@dataclasses.dataclass(kw_only=True, repr=False)
class Entity(Model):
    """The abstract base type for every object in the fleet service that can be
    addressed on its own. An entity carries only its identifier; derived types such
    as fleet, vehicle and depot add their own properties.
    """

    id: str | None = None
    """The unique identifier of the object, assigned by the service when the object is
    created. Read-only.
    """

    _odata_type_ = "microsoft.graph.entity"
    _abstract_ = True
    # One field a row: wire name, field name, OData type, flags (see _runtime).
    _fields_ = """
        id id Edm.String readonly
    """
