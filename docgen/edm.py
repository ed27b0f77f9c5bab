"""OData primitive types and the many ways the docs spell them."""

from __future__ import annotations

PRIMITIVES = (
    "Binary",
    "Boolean",
    "Byte",
    "Date",
    "DateTimeOffset",
    "Decimal",
    "Double",
    "Duration",
    "Guid",
    "Int16",
    "Int32",
    "Int64",
    "SByte",
    "Single",
    "Stream",
    "String",
    "TimeOfDay",
    "Untyped",
)

_CANONICAL = {p.lower(): f"Edm.{p}" for p in PRIMITIVES}

# Spellings seen in real type cells (PARSING.md), lower-cased.
_ALIASES = {
    "str": "String",
    "text": "String",
    "url": "String",
    "uri": "String",
    "email": "String",
    "enum": "String",
    "bool": "Boolean",
    "int": "Int32",
    "integer": "Int32",
    "long": "Int64",
    "short": "Int16",
    "float": "Single",
    "number": "Double",
    "real": "Double",
    "uuid": "Guid",
    "datetime": "DateTimeOffset",
    "timestamp": "DateTimeOffset",
    "time": "TimeOfDay",
    "timespan": "Duration",
    "bytes": "Binary",
    "byte[]": "Binary",
    "base64": "Binary",
    "object": "Untyped",
    "any": "Untyped",
}


def primitive(name: str) -> str | None:
    """The canonical `Edm.X` for a spelling of a primitive, else None."""
    key = name.strip().lower()
    if key.startswith("edm."):
        key = key[4:]
    if key in _CANONICAL:
        return _CANONICAL[key]
    alias = _ALIASES.get(key)
    return f"Edm.{alias}" if alias else None
