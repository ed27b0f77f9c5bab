"""Machinery shared by every generated model; it needs only the standard library.

Each model class declares `_fields_`, a string holding a text table with one
field a row: wire name, field name and type separated by spaces, types spelt
as OData does (`Edm.Date`, `Collection(microsoft.graph.x)`), for example

    createdDateTime created_date_time Edm.DateTimeOffset
    items items Collection(microsoft.graph.driveItem)

No cell holds whitespace, so splitting at whitespace reads it back. One
string rather than a tuple of tuples keeps model modules small (black formats
a string as one token); it is parsed when the class is first converted.
`Model.from_dict` and `Model.to_dict` walk that table; a class's plan (the
table of every class up its bases, with a converter per type) is built on
first use and cached. Types other than primitives are looked up by name in
`_registry` and imported only when a value of that type is first seen.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import enum
import importlib
import re

# True for type checkers. Not importing typing saves a few ms on the first
# import of a model: annotations are never evaluated, and nothing else here
# needs it at run time.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime
    import decimal
    import sys
    import typing
    import uuid

    # Type checkers only (annotations are never evaluated at run time). The
    # package supports Python 3.10, which lints assuming 3.11+ cannot know.
    if sys.version_info >= (3, 11):  # noqa: UP036
        from typing import Self
    else:
        from typing_extensions import Self  # noqa: UP035


# --- errors ---


class ValidationError(ValueError):
    """A value whose shape does not fit its field; names the class, field and value."""

    def __init__(
        self, cls: str, field: str | None, value: object, expected: str
    ) -> None:
        self.cls = cls
        self.field = field
        self.value = value
        self.expected = expected
        where = f"{cls}.{field}" if field else cls
        text = repr(value)
        if len(text) > 200:
            text = text[:200] + "..."
        super().__init__(f"{where}: expected {expected}, got {text}")


class _Bad(Exception):
    """Raised by a converter; the caller adds the class and field it was converting."""

    def __init__(self, value: object, expected: str) -> None:
        self.value = value
        self.expected = expected


# --- enums ---

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


class OpenFlags(OpenEnum):
    """A flags enum: a value is a comma-separated set of members, as Graph writes it.

    `X("a,b")` is kept as written (so it serializes back unchanged); `flags`
    gives its members (unknown ones too) and `X.A | X.B` combines them.
    """

    @property
    def flags(self) -> tuple[OpenFlags, ...]:
        """The single members this value combines, in the order written."""
        cls = type(self)
        parts = [p.strip() for p in self.value.split(",")]
        return tuple(cls(p) for p in parts if p)

    def __or__(self, other: Self) -> Self:
        seen = list(dict.fromkeys(self.flags + other.flags))
        return type(self)(",".join(str(m.value) for m in seen))

    def __contains__(self, other: object) -> bool:
        if isinstance(other, str):
            wanted = set(type(self)(other).flags)
            return bool(wanted) and wanted <= set(self.flags)
        return False


# --- primitive converters: each takes a JSON value and returns a Python one ---

_PATTERNS = {
    "datetime": r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?"
    r"(?:([Zz])|([+-])(\d\d):?(\d\d))?",
    "time": r"(\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?",
    "date": r"\d{4}-\d\d-\d\d",
    "duration": r"(-)?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?",
    "guid": r"[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}",
}


class _Regexes:
    """The patterns above, compiled on first use: importing a model does not pay for them."""

    def __getattr__(self, name: str) -> re.Pattern[str]:
        pattern = re.compile(_PATTERNS[name])
        setattr(self, name, pattern)
        return pattern


_RE = _Regexes()
_SPECIAL_FLOATS = {"NaN": float("nan"), "INF": float("inf"), "-INF": float("-inf")}


def _micro(fraction: str | None) -> int:
    return int((fraction or "0")[:6].ljust(6, "0"))


def _load_datetime(raw: object) -> datetime.datetime:
    import datetime

    m = _RE.datetime.fullmatch(raw) if type(raw) is str else None
    if m is None:
        raise _Bad(raw, "an ISO 8601 date and time (Edm.DateTimeOffset)")
    y, mo, d, h, mi, s, frac, z, sign, oh, om = m.groups()
    tz: datetime.tzinfo | None = None
    if z:
        tz = datetime.timezone.utc  # noqa: UP017 (`datetime.UTC` needs Python 3.11)
    elif sign:
        offset = datetime.timedelta(hours=int(oh), minutes=int(om))
        tz = datetime.timezone(-offset if sign == "-" else offset)
    try:
        return datetime.datetime(
            int(y), int(mo), int(d), int(h), int(mi), int(s or 0), _micro(frac), tz
        )
    except ValueError:
        raise _Bad(raw, "a valid date and time (Edm.DateTimeOffset)") from None


def _dump_datetime(value: object) -> str:
    import datetime

    if not isinstance(value, datetime.datetime):
        raise _Bad(value, "a datetime")
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _load_date(raw: object) -> datetime.date:
    import datetime

    if type(raw) is str and _RE.date.fullmatch(raw):
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            pass
    raise _Bad(raw, "an ISO 8601 date, YYYY-MM-DD (Edm.Date)")


def _dump_date(value: object) -> str:
    import datetime

    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise _Bad(value, "a date")
    return value.isoformat()


def _load_time(raw: object) -> datetime.time:
    import datetime

    m = _RE.time.fullmatch(raw) if type(raw) is str else None
    if m is not None:
        h, mi, s, frac = m.groups()
        try:
            return datetime.time(int(h), int(mi), int(s or 0), _micro(frac))
        except ValueError:
            pass
    raise _Bad(raw, "a time of day, hh:mm:ss (Edm.TimeOfDay)")


def _dump_time(value: object) -> str:
    import datetime

    if not isinstance(value, datetime.time):
        raise _Bad(value, "a time")
    return value.isoformat()


def _load_duration(raw: object) -> datetime.timedelta:
    import datetime

    m = _RE.duration.fullmatch(raw) if type(raw) is str else None
    if m is None or raw in ("P", "-P", "PT", "-PT") or str(raw).endswith("T"):
        raise _Bad(raw, "an ISO 8601 duration in days and time, P1DT2H (Edm.Duration)")
    sign, w, d, h, mi, s = m.groups()
    delta = datetime.timedelta(
        weeks=int(w or 0),
        days=int(d or 0),
        hours=int(h or 0),
        minutes=int(mi or 0),
        seconds=float(s or 0),
    )
    return -delta if sign else delta


def _dump_duration(value: object) -> str:
    import datetime

    if not isinstance(value, datetime.timedelta):
        raise _Bad(value, "a timedelta")
    sign = "-" if value < datetime.timedelta(0) else ""
    value = abs(value)
    minutes, seconds = divmod(value.seconds, 60)
    hours, minutes = divmod(minutes, 60)
    text = f"{sign}P{value.days}D" if value.days else f"{sign}P"
    clock = ""
    if hours:
        clock += f"{hours}H"
    if minutes:
        clock += f"{minutes}M"
    if seconds or value.microseconds or not (value.days or clock):
        frac = f".{value.microseconds:06d}".rstrip("0") if value.microseconds else ""
        clock += f"{seconds}{frac}S"
    return text + ("T" + clock if clock else "")


def _load_guid(raw: object) -> uuid.UUID:
    if type(raw) is str and _RE.guid.fullmatch(raw):
        import uuid

        return uuid.UUID(raw)
    raise _Bad(raw, "a GUID, 8-4-4-4-12 hex digits (Edm.Guid)")


def _dump_guid(value: object) -> str:
    import uuid

    if not isinstance(value, uuid.UUID):
        raise _Bad(value, "a UUID")
    return str(value)


def _load_binary(raw: object) -> bytes:
    import base64
    import binascii

    if type(raw) is str:
        try:
            return base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            try:
                return base64.urlsafe_b64decode(raw)
            except (binascii.Error, ValueError):
                pass
    raise _Bad(raw, "base64 text (Edm.Binary)")


def _dump_binary(value: object) -> str:
    import base64

    if not isinstance(value, (bytes, bytearray)):
        raise _Bad(value, "bytes")
    return base64.b64encode(value).decode("ascii")


def _load_decimal(raw: object) -> decimal.Decimal:
    import decimal

    if type(raw) in (int, float, str):
        try:
            value = decimal.Decimal(repr(raw) if type(raw) is float else str(raw))
        except decimal.InvalidOperation:
            pass
        else:
            if value.is_finite():
                return value
    raise _Bad(raw, "a decimal number (Edm.Decimal)")


def _dump_decimal(value: object) -> int | float:
    import decimal

    if type(value) is int:
        return value
    if not isinstance(value, decimal.Decimal):
        raise _Bad(value, "a Decimal")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= 0:
        return int(value)
    return float(value)


def _load_float(raw: object) -> float:
    if type(raw) is float:
        return raw
    special = _SPECIAL_FLOATS.get(raw) if type(raw) is str else None
    if special is None:
        raise _Bad(raw, "a number")
    return special


def _dump_float(value: object) -> float | str:
    import math

    if type(value) is not float:
        raise _Bad(value, "a number")
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    return value


def _identity(value: object) -> object:
    return value


if TYPE_CHECKING:
    _Load = typing.Callable[[typing.Any], typing.Any]
    _Dump = typing.Callable[[typing.Any], typing.Any]


@dataclasses.dataclass(frozen=True, slots=True)
class _Kind:
    """How one OData type converts: values of a type in `ok` pass unchanged both
    ways; others go through `load`/`dump` (absent: refused). `memo` marks a
    conversion that can change spelling (`Z` vs `+00:00`, GUID case), whose
    wire text is kept beside the value so an unchanged value serializes as read."""

    expected: str
    ok: frozenset[type]
    load: _Load | None = None
    dump: _Dump | None = None
    memo: bool = False


_STR = frozenset({str})
_INT = frozenset({int})
_EDM: dict[str, _Kind] = {
    "Edm.String": _Kind("a string (Edm.String)", _STR),
    "Edm.Boolean": _Kind("true or false (Edm.Boolean)", frozenset({bool})),
    "Edm.Byte": _Kind("an integer (Edm.Byte)", _INT),
    "Edm.SByte": _Kind("an integer (Edm.SByte)", _INT),
    "Edm.Int16": _Kind("an integer (Edm.Int16)", _INT),
    "Edm.Int32": _Kind("an integer (Edm.Int32)", _INT),
    "Edm.Int64": _Kind("an integer (Edm.Int64)", _INT),
    # Floats go through the converters: JSON has no NaN or infinity, Graph writes "NaN", "INF".
    "Edm.Single": _Kind("a number (Edm.Single)", _INT, _load_float, _dump_float),
    "Edm.Double": _Kind("a number (Edm.Double)", _INT, _load_float, _dump_float),
    "Edm.Decimal": _Kind(
        "a number (Edm.Decimal)", frozenset(), _load_decimal, _dump_decimal, True
    ),
    "Edm.DateTimeOffset": _Kind(
        "a date and time (Edm.DateTimeOffset)",
        frozenset(),
        _load_datetime,
        _dump_datetime,
        True,
    ),
    "Edm.Date": _Kind("a date (Edm.Date)", frozenset(), _load_date, _dump_date, True),
    "Edm.TimeOfDay": _Kind(
        "a time (Edm.TimeOfDay)", frozenset(), _load_time, _dump_time, True
    ),
    "Edm.Duration": _Kind(
        "a duration (Edm.Duration)", frozenset(), _load_duration, _dump_duration, True
    ),
    "Edm.Guid": _Kind("a GUID (Edm.Guid)", frozenset(), _load_guid, _dump_guid, True),
    "Edm.Binary": _Kind(
        "base64 (Edm.Binary)", frozenset(), _load_binary, _dump_binary, True
    ),
    "Edm.Stream": _Kind(
        "base64 (Edm.Stream)", frozenset(), _load_binary, _dump_binary, True
    ),
}
# Edm.Untyped and any Edm type this runtime does not model: JSON as it comes.
_UNTYPED = _Kind("any JSON value", frozenset(), _identity, _identity)


class _Named:
    """Converts values of a named model or enum type, resolving the class on first use."""

    __slots__ = ("cls", "is_enum", "name")

    def __init__(self, name: str) -> None:
        self.name = name
        self.cls: type[typing.Any] | None = None
        self.is_enum = False

    def resolve(self) -> type[typing.Any]:
        cls = self.cls
        if cls is None:
            cls = self.cls = _resolve(self.name)
            self.is_enum = issubclass(cls, enum.Enum)
        return cls

    def load(self, raw: object) -> object:
        cls = self.resolve()
        if self.is_enum:
            if type(raw) is not str:
                raise _Bad(raw, f"a {self.name} value (a string)")
            member = cls._value2member_map_.get(raw)
            return member if member is not None else cls(raw)
        if type(raw) is not dict:
            raise _Bad(raw, f"a {self.name} object")
        return cls.from_dict(raw)

    def dump(self, value: object) -> object:
        cls = self.resolve()
        if isinstance(value, cls):
            return value.value if self.is_enum else value.to_dict()
        if self.is_enum and type(value) is str:
            return value
        raise _Bad(value, f"a {cls.__name__}")


def _collection(item: _Kind) -> _Kind:
    ok, load, dump = item.ok, item.load, item.dump

    def load_list(raw: object) -> list[typing.Any]:
        if type(raw) is not list:
            raise _Bad(raw, f"a list of {item.expected}")
        out = []
        for x in raw:
            if x is None or type(x) in ok:
                out.append(x)
            elif load is None:
                raise _Bad(x, item.expected)
            else:
                out.append(load(x))
        return out

    def dump_list(value: object) -> list[typing.Any]:
        if not isinstance(value, (list, tuple)):
            raise _Bad(value, f"a list of {item.expected}")
        out = []
        for x in value:
            if x is None or type(x) in ok:
                out.append(x)
            elif dump is None:
                raise _Bad(x, item.expected)
            else:
                out.append(dump(x))
        return out

    return _Kind(
        f"a list of {item.expected}", frozenset(), load_list, dump_list, item.memo
    )


def _kind(odata_type: str) -> _Kind:
    if odata_type.startswith("Collection(") and odata_type.endswith(")"):
        return _collection(_kind(odata_type[11:-1]))
    if odata_type.startswith("Edm."):
        return _EDM.get(odata_type, _UNTYPED)
    named = _Named(odata_type)
    return _Kind(f"a {odata_type}", frozenset(), named.load, named.dump)


# --- the type registry (type name -> class), loaded on first use ---

_CLASSES: dict[str, type[typing.Any]] = {}
_FOLDED: dict[str, str] = {}


def _lookup(name: str) -> type[typing.Any] | None:
    """The class of a qualified type name (`#` prefix and case ignored), or None."""
    cls = _CLASSES.get(name)
    if cls is not None:
        return cls
    from ._registry import TYPES

    key = name.removeprefix("#")
    entry = TYPES.get(key)
    if entry is None:
        if not _FOLDED:
            _FOLDED.update((k.lower(), k) for k in TYPES)
        folded = _FOLDED.get(key.lower())
        entry = TYPES.get(folded) if folded is not None else None
        if entry is None:
            return None
    module = importlib.import_module("." + entry[0], __package__)
    found: type[typing.Any] = getattr(module, entry[1])
    _CLASSES[name] = found
    return found


def _resolve(name: str) -> type[typing.Any]:
    cls = _lookup(name)
    if cls is None:
        raise KeyError(f"no type named {name!r} in {__package__}")
    return cls


def model_for(type_name: str) -> type[Model]:
    """The model class of a type name such as `microsoft.graph.driveItem`.

    Raises KeyError for a name the package does not know (or an enum's name).
    """
    cls = _resolve(type_name)
    if not issubclass(cls, Model):
        raise KeyError(f"{type_name!r} is an enum, not a model")
    return cls


def from_dict(data: typing.Mapping[str, typing.Any], type_name: str) -> Model:
    """Build the model named `type_name` (or the subclass `@odata.type` names) from JSON."""
    return model_for(type_name).from_dict(data)


# --- models ---


class _Plan:
    """Everything `from_dict`/`to_dict` need for one class, built once."""

    __slots__ = ("blank", "by_wire", "fields")

    def __init__(self, cls: type[Model]) -> None:
        specs: dict[str, tuple[str, str]] = {}
        for klass in reversed(cls.__mro__):
            table = vars(klass).get("_fields_", "")
            # Model templates copied from docgen before the text table wrote a
            # tuple of (wire name, field name, type) tuples: still read.
            rows = table.splitlines() if isinstance(table, str) else table
            for row in rows:
                cells = row.split() if isinstance(row, str) else list(row)
                if not cells:
                    continue
                if len(cells) != 3:
                    raise TypeError(
                        f"{klass.__name__}._fields_: "
                        f"{row.strip() if isinstance(row, str) else row!r} is not"
                        " 'wire-name field_name OData.type'"
                    )
                wire, py, odata_type = cells
                specs[wire] = (py, odata_type)
        self.fields = tuple(
            (wire, py, _kind(odata_type)) for wire, (py, odata_type) in specs.items()
        )
        self.by_wire = {wire: (py, kind) for wire, py, kind in self.fields}
        self.blank: dict[str, typing.Any] = {py: None for _, py, _ in self.fields}


_PLANS: dict[type, _Plan] = {}
_WIRE = "_wire_"  # instance attribute: field name -> (value as read, JSON as read)


@dataclasses.dataclass(kw_only=True)
class Model:
    """Base of every generated model.

    `additional_data` holds what the model has no field for: unknown keys and
    `@odata.*` annotations, in the order read; `to_dict` writes them back.
    """

    additional_data: dict[str, typing.Any] = dataclasses.field(
        default_factory=dict, repr=False
    )

    # Class attributes, not fields: unannotated, so dataclasses leaves them out
    # without importing typing to recognize a ClassVar.
    _fields_ = ""  # see the module docstring
    _odata_type_ = ""

    @classmethod
    def from_dict(cls, data: typing.Mapping[str, typing.Any]) -> Self:
        """Build an instance (of the subclass that `@odata.type` names) from JSON.

        Raises ValidationError for a value whose shape does not fit its field.
        An `@odata.type` naming no subclass of this class keeps this class.
        """
        if type(data) is not dict:
            if not isinstance(data, collections.abc.Mapping):
                raise ValidationError(cls.__name__, None, data, "a JSON object")
            data = dict(data)
        target = cls
        odata_type = data.get("@odata.type")
        if type(odata_type) is str and odata_type.lstrip("#") != cls._odata_type_:
            named = _lookup(odata_type)
            # A known type that the docs do not derive from this class (their
            # bases are incomplete: `userIdentity` in an `identity` field) keeps
            # this class; the annotation stays in additional_data either way.
            if named is not None and named is not cls and issubclass(named, cls):
                target = named
        plan = _PLANS.get(target) or _PLANS.setdefault(target, _Plan(target))
        by_wire = plan.by_wire
        values = plan.blank.copy()
        extra: dict[str, typing.Any] = {}
        memo: dict[str, tuple[object, object]] | None = None
        for key, raw in data.items():
            spec = by_wire.get(key)
            if spec is None:
                extra[key] = raw
                continue
            py, kind = spec
            if raw is None:
                if memo is None:
                    memo = {}
                memo[py] = (None, None)  # an explicit null, written back as null
            elif type(raw) in kind.ok:
                values[py] = raw
            elif kind.load is None:
                raise ValidationError(target.__name__, py, raw, kind.expected)
            else:
                try:
                    value = kind.load(raw)
                except _Bad as bad:
                    where = py if bad.value is raw else f"{py}[...]"
                    raise ValidationError(
                        target.__name__, where, bad.value, bad.expected
                    ) from None
                values[py] = value
                if kind.memo:
                    if memo is None:
                        memo = {}
                    memo[py] = (value.copy() if type(value) is list else value, raw)
        obj = target.__new__(target)
        values["additional_data"] = extra
        if memo is not None:
            values[_WIRE] = memo
        obj.__dict__.update(values)
        return obj

    def to_dict(self) -> dict[str, typing.Any]:
        """The JSON object for this instance, with wire names.

        Values left as `from_dict` read them are written exactly as read;
        unknown keys and annotations from `additional_data` follow the fields.
        """
        cls = type(self)
        plan = _PLANS.get(cls) or _PLANS.setdefault(cls, _Plan(cls))
        attrs = self.__dict__
        memo: dict[str, tuple[object, object]] | None = attrs.get(_WIRE)
        out: dict[str, typing.Any] = {}
        for wire, py, kind in plan.fields:
            value = attrs.get(py)
            if memo is not None:
                seen = memo.get(py)
                if seen is not None and (
                    value is seen[0]
                    or (type(value) is type(seen[0]) and value == seen[0])
                ):
                    out[wire] = seen[1]
                    continue
            if value is None:
                continue
            if type(value) in kind.ok:
                out[wire] = value
            elif kind.dump is None:
                raise ValidationError(cls.__name__, py, value, kind.expected)
            else:
                try:
                    out[wire] = kind.dump(value)
                except _Bad as bad:
                    raise ValidationError(
                        cls.__name__, py, bad.value, bad.expected
                    ) from None
        for key, raw in self.additional_data.items():
            if key not in out:
                out[key] = raw
        return out
