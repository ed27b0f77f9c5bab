"""Machinery shared by every generated model; it needs only the standard library."""

from __future__ import annotations

import enum
import typing

_UNKNOWN: dict[tuple[type, str], typing.Any] = {}


class OpenEnum(str, enum.Enum):
    """A string enum that keeps values the docs do not list instead of refusing them.

    Graph enums evolve (`unknownFutureValue`): a value this package does not
    know becomes a cached pseudo-member, so the same value is always the same
    object and `X("newValue").value == "newValue"`.
    """

    @classmethod
    def _missing_(cls, value: object) -> typing.Any:
        if not isinstance(value, str):
            return None
        member = _UNKNOWN.get((cls, value))
        if member is None:
            member = str.__new__(cls, value)
            member._name_ = value
            member._value_ = value
            member = _UNKNOWN.setdefault((cls, value), member)
        return member
