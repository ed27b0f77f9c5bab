from __future__ import annotations

import dataclasses

from ._runtime import Model


@dataclasses.dataclass(kw_only=True, repr=False)
class VehicleDocument(Model):
    """A scanned paper that belongs to a vehicle, such as a registration, a road permit
    or an insurance certificate. Documents are small; files larger than 4 MB are
    rejected.
    """

    content: bytes | None = None
    """The file content, base64-encoded in JSON."""

    file_name: str | None = None
    """The file name without any folder, for example permit-2021.pdf. A path such as
    C:\\scans\\permit-2021.pdf is rejected.
    """

    format: str | None = None
    """The file format, as a lowercase extension without the dot, for example pdf or
    png.
    """

    size_in_bytes: int | None = None
    """The size of the file, in bytes. Read-only."""

    _odata_type_ = "microsoft.graph.vehicleDocument"
    # One field a row: wire name, field name, OData type, flags (see _runtime).
    _fields_ = """
        content content Edm.Binary
        fileName file_name Edm.String
        format format Edm.String
        sizeInBytes size_in_bytes Edm.Int64 readonly
    """
