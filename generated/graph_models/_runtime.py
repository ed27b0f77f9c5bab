"""Machinery shared by every generated model; it needs only the standard library.

Each model class declares `_fields_`, a string holding a text table with one
field a row: wire name, field name and type separated by spaces, types spelt
as OData does (`Edm.Date`, `Collection(microsoft.graph.x)`), for example

    createdDateTime created_date_time Edm.DateTimeOffset readonly
    items items Collection(microsoft.graph.driveItem) navigation,nullable

An optional fourth cell holds the field's flags, comma-separated: `readonly`,
`navigation`, `nullable` or `notnull` (as the docs say). No cell holds whitespace, so splitting at whitespace reads it back. One
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
import reprlib  # already imported by functools, which dataclasses imports

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
    from typing import cast as _cast
else:

    def _cast(kind: object, value: object) -> object:
        """`typing.cast` without importing typing."""
        return value


# --- errors ---

# How deep objects may nest in `from_dict` and `to_dict`: deeper payloads, and
# object cycles, raise ValidationError instead of exhausting the stack.
MAX_DEPTH = 100


def _show(value: object) -> str:
    """A short repr that never fails (huge integers, cycles, deep nesting)."""
    short = reprlib.Repr()
    short.maxstring = short.maxother = 200
    short.maxlevel = 4
    try:
        return short.repr(value)
    except Exception:  # noqa: BLE001 - a message must never raise
        return f"<{type(value).__name__}>"


def _at(prefix: str, path: str) -> str:
    """`prefix` joined to a path below it: `vehicles` + `[0].make`, `next_service` + `from_`."""
    if not prefix:
        return path
    if not path or path[0] == "[":
        return prefix + path
    return prefix + "." + path


class ValidationError(ValueError):
    """A value whose shape does not fit its field; names the class, field and value.

    `cls` and `field` are the innermost class and field; `path` says where the
    value is from the object converted (`vehicles[0].purchase_date`).
    """

    def __init__(
        self,
        cls: str,
        field: str | None,
        value: object,
        expected: str,
        path: str | None = None,
    ) -> None:
        super().__init__(cls, field, value, expected, path)
        self.cls = cls
        self.field = field
        self.value = value
        self.expected = expected
        self.path = (field or "") if path is None else path

    def __str__(self) -> str:
        where = f"{self.cls}.{self.field}" if self.field else self.cls
        text = f"{where}: expected {self.expected}, got {_show(self.value)}"
        if self.path and self.path != self.field:
            text += f" (at {self.path})"
        return text


class _Bad(Exception):
    """Raised by a converter; the caller adds the class and field it was converting.

    `path` is where in the field's value the bad value sits (`[2]`), if not the field itself.
    """

    def __init__(self, value: object, expected: str) -> None:
        self.value = value
        self.expected = expected
        self.path = ""


# --- enums ---

_UNKNOWN: dict[tuple[type, str], typing.Any] = {}
_UNKNOWN_LIMIT = 10_000


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
            # Bounded: a stream of ever new values must not grow memory for good.
            if len(_UNKNOWN) < _UNKNOWN_LIMIT:
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


# --- primitive converters ---
# A loader takes a JSON value, whether to refuse what does not fit (`strict`)
# and how deep it is; a dumper takes a Python value, the field flags to leave
# out and how deep it is. Primitives use only the value. Both raise _Bad.

_PATTERNS = {
    "datetime": r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?"
    r"(?:([Zz])|([+-])(\d\d):?(\d\d))?",
    "time": r"(\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?",
    "date": r"\d{4}-\d\d-\d\d",
    "duration": r"(-)?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?",
    "guid": r"[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}",
    # A name in an annotation; a trailing `.` marks a module (`datetime.date`).
    "name": r"(?<![\w.])([A-Za-z_]\w*)(\.)?",
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


def _load_datetime(
    raw: object, strict: bool = True, depth: int = 0
) -> datetime.datetime:
    import datetime

    m = _RE.datetime.fullmatch(raw) if type(raw) is str else None
    if m is None:
        raise _Bad(raw, "an ISO 8601 date and time (Edm.DateTimeOffset)")
    y, mo, d, h, mi, s, frac, z, sign, oh, om = m.groups()
    try:
        tz: datetime.tzinfo | None = None
        if z:
            tz = datetime.timezone.utc  # noqa: UP017 (`datetime.UTC` needs Python 3.11)
        elif sign:
            offset = datetime.timedelta(hours=int(oh), minutes=int(om))
            tz = datetime.timezone(-offset if sign == "-" else offset)
        return datetime.datetime(
            int(y), int(mo), int(d), int(h), int(mi), int(s or 0), _micro(frac), tz
        )
    except (ValueError, OverflowError):
        raise _Bad(raw, "a valid date and time (Edm.DateTimeOffset)") from None


def _dump_datetime(value: object, mask: int = 0, depth: int = 0) -> str:
    import datetime

    if not isinstance(value, datetime.datetime):
        raise _Bad(value, "a datetime")
    if value.utcoffset() is None:
        # Graph reads a time without an offset as UTC; a local time written so
        # would silently move. Say which one is meant.
        raise _Bad(value, "a datetime with a time zone (tzinfo=datetime.timezone.utc)")
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _load_date(raw: object, strict: bool = True, depth: int = 0) -> datetime.date:
    import datetime

    if type(raw) is str and _RE.date.fullmatch(raw):
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            pass
    raise _Bad(raw, "an ISO 8601 date, YYYY-MM-DD (Edm.Date)")


def _dump_date(value: object, mask: int = 0, depth: int = 0) -> str:
    import datetime

    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise _Bad(value, "a date")
    return value.isoformat()


def _load_time(raw: object, strict: bool = True, depth: int = 0) -> datetime.time:
    import datetime

    m = _RE.time.fullmatch(raw) if type(raw) is str else None
    if m is not None:
        h, mi, s, frac = m.groups()
        try:
            return datetime.time(int(h), int(mi), int(s or 0), _micro(frac))
        except ValueError:
            pass
    raise _Bad(raw, "a time of day, hh:mm:ss (Edm.TimeOfDay)")


def _dump_time(value: object, mask: int = 0, depth: int = 0) -> str:
    import datetime

    if not isinstance(value, datetime.time):
        raise _Bad(value, "a time")
    return value.isoformat()


def _load_duration(
    raw: object, strict: bool = True, depth: int = 0
) -> datetime.timedelta:
    import datetime

    expected = "an ISO 8601 duration in days and time, P1DT2H (Edm.Duration)"
    m = _RE.duration.fullmatch(raw) if type(raw) is str else None
    if m is None or raw in ("P", "-P", "PT", "-PT") or str(raw).endswith("T"):
        raise _Bad(raw, expected)
    sign, w, d, h, mi, s = m.groups()
    try:
        delta = datetime.timedelta(
            weeks=int(w or 0),
            days=int(d or 0),
            hours=int(h or 0),
            minutes=int(mi or 0),
            seconds=float(s or 0),
        )
    except (ValueError, OverflowError):
        # Python's timedelta holds up to 999,999,999 days.
        raise _Bad(raw, "a duration of at most 999999999 days (Edm.Duration)") from None
    return -delta if sign else delta


def _dump_duration(value: object, mask: int = 0, depth: int = 0) -> str:
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


def _load_guid(raw: object, strict: bool = True, depth: int = 0) -> uuid.UUID:
    if type(raw) is str and _RE.guid.fullmatch(raw):
        import uuid

        return uuid.UUID(raw)
    raise _Bad(raw, "a GUID, 8-4-4-4-12 hex digits (Edm.Guid)")


def _dump_guid(value: object, mask: int = 0, depth: int = 0) -> str:
    import uuid

    if not isinstance(value, uuid.UUID):
        raise _Bad(value, "a UUID")
    return str(value)


def _load_binary(raw: object, strict: bool = True, depth: int = 0) -> bytes:
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


def _dump_binary(value: object, mask: int = 0, depth: int = 0) -> str:
    import base64

    if not isinstance(value, (bytes, bytearray)):
        raise _Bad(value, "bytes")
    return base64.b64encode(value).decode("ascii")


def _load_decimal(raw: object, strict: bool = True, depth: int = 0) -> decimal.Decimal:
    import decimal

    if type(raw) in (int, float, str):
        try:
            value = decimal.Decimal(repr(raw) if type(raw) is float else str(raw))
        except (decimal.InvalidOperation, ValueError):  # ValueError: too many digits
            pass
        else:
            if value.is_finite():
                return value
    raise _Bad(raw, "a decimal number (Edm.Decimal)")


def _dump_decimal(value: object, mask: int = 0, depth: int = 0) -> int | float:
    import decimal

    if type(value) is int:
        return value
    if not isinstance(value, decimal.Decimal) or not value.is_finite():
        raise _Bad(value, "a finite Decimal")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= 0 and value.adjusted() < 4000:
        return int(value)
    number = float(value)
    if number in (float("inf"), float("-inf")):
        raise _Bad(value, "a Decimal that fits a JSON number")
    return number


def _load_float(raw: object, strict: bool = True, depth: int = 0) -> float:
    if type(raw) is float:
        return raw
    special = _SPECIAL_FLOATS.get(raw) if type(raw) is str else None
    if special is None:
        raise _Bad(raw, "a number")
    return special


def _dump_float(value: object, mask: int = 0, depth: int = 0) -> float | str:
    import math

    if type(value) is not float:
        raise _Bad(value, "a number")
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    return value


def _identity(value: object, flag: object = None, depth: int = 0) -> object:
    return value


if TYPE_CHECKING:
    _Load = typing.Callable[[typing.Any, bool, int], typing.Any]
    _Dump = typing.Callable[[typing.Any, int, int], typing.Any]


@dataclasses.dataclass(frozen=True, slots=True)
class _Kind:
    """How one OData type converts: values of a type in `ok` pass unchanged both
    ways; others go through `load`/`dump` (absent: refused). `memo` marks a
    conversion that can change spelling (`Z` vs `+00:00`, GUID case), whose
    wire text is kept beside the value so an unchanged value serializes as read.
    `nested` marks models (and lists of them)."""

    expected: str
    ok: frozenset[type]
    load: _Load | None = None
    dump: _Dump | None = None
    memo: bool = False
    nested: bool = False


def _integer(name: str, low: int, high: int) -> _Kind:
    """An Edm integer type: an `int` (never a `bool`) within the type's range."""
    expected = f"an integer from {low} to {high} ({name})"

    def convert(value: object, flag: object = None, depth: int = 0) -> int:
        if type(value) is int and low <= value <= high:
            return value
        raise _Bad(value, expected)

    return _Kind(expected, frozenset(), convert, convert)


_STR = frozenset({str})
_INT = frozenset({int})
_EDM: dict[str, _Kind] = {
    "Edm.String": _Kind("a string (Edm.String)", _STR),
    "Edm.Boolean": _Kind("true or false (Edm.Boolean)", frozenset({bool})),
    "Edm.Byte": _integer("Edm.Byte", 0, 255),
    "Edm.SByte": _integer("Edm.SByte", -128, 127),
    "Edm.Int16": _integer("Edm.Int16", -(2**15), 2**15 - 1),
    "Edm.Int32": _integer("Edm.Int32", -(2**31), 2**31 - 1),
    "Edm.Int64": _integer("Edm.Int64", -(2**63), 2**63 - 1),
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
            cls = _resolve(self.name)
            self.is_enum = issubclass(cls, enum.Enum)
            self.cls = cls
        return cls

    def load(self, raw: typing.Any, strict: bool, depth: int) -> object:
        cls = self.cls or self.resolve()
        if self.is_enum:
            if type(raw) is not str:
                raise _Bad(raw, f"a {self.name} value (a string)")
            member = cls._value2member_map_.get(raw)
            return member if member is not None else cls(raw)
        if raw.__class__ is not dict:
            raise _Bad(raw, f"a {self.name} object")
        if depth >= MAX_DEPTH:
            raise _Bad(raw, f"at most {MAX_DEPTH} levels of nested objects")
        return _read(cls, raw, strict, depth + 1)

    def dump(self, value: typing.Any, mask: int, depth: int) -> object:
        cls = self.cls or self.resolve()
        if isinstance(value, cls):
            if self.is_enum:
                return value.value
            if depth >= MAX_DEPTH:
                raise _Bad(
                    value, f"at most {MAX_DEPTH} levels of nested objects (a cycle?)"
                )
            # An object of a derived class says so, or it reads back as this class.
            return _write(value, mask, depth + 1, type(value) is not cls, None)
        if self.is_enum and type(value) is str:
            return value
        raise _Bad(value, f"a {cls.__name__}")


def _collection(item: _Kind) -> _Kind:
    ok, load, dump = item.ok, item.load, item.dump

    def load_list(raw: typing.Any, strict: bool, depth: int) -> list[typing.Any]:
        if raw.__class__ is not list:
            raise _Bad(raw, f"a list of {item.expected}")
        out: list[typing.Any] = []
        for x in raw:
            if x is None or type(x) in ok:
                out.append(x)
                continue
            try:
                if load is None:
                    raise _Bad(x, item.expected)
                out.append(load(x, strict, depth))
            except _Bad as bad:
                bad.path = f"[{len(out)}]{bad.path}"
                raise
            except ValidationError as err:
                err.path = _at(f"[{len(out)}]", err.path)
                raise
        return out

    def dump_list(value: object, mask: int, depth: int) -> list[typing.Any]:
        if not isinstance(value, (list, tuple)):
            raise _Bad(value, f"a list of {item.expected}")
        items = _cast("list[object] | tuple[object, ...]", value)
        out: list[typing.Any] = []
        for x in items:
            if x is None or type(x) in ok:
                out.append(x)
                continue
            try:
                if dump is None:
                    raise _Bad(x, item.expected)
                out.append(dump(x, mask, depth))
            except _Bad as bad:
                bad.path = f"[{len(out)}]{bad.path}"
                raise
            except ValidationError as err:
                err.path = _at(f"[{len(out)}]", err.path)
                raise
        return out

    return _Kind(
        f"a list of {item.expected}",
        frozenset(),
        load_list,
        dump_list,
        item.memo,
        item.nested,
    )


def _kind(odata_type: str) -> _Kind:
    if odata_type.startswith("Collection(") and odata_type.endswith(")"):
        return _collection(_kind(odata_type[11:-1]))
    if odata_type.startswith("Edm."):
        return _EDM.get(odata_type, _UNTYPED)
    named = _Named(odata_type)
    return _Kind(f"a {odata_type}", frozenset(), named.load, named.dump, nested=True)


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


def from_dict(
    data: typing.Mapping[str, typing.Any], type_name: str, *, strict: bool = False
) -> Model:
    """Build the model named `type_name` (or the subclass `@odata.type` names) from JSON."""
    return model_for(type_name).from_dict(data, strict=strict)


# --- models ---
# Hot paths test `x.__class__ is dict` rather than `type(x) is dict`: as fast,
# and type checkers keep the declared types instead of narrowing to
# `dict[Unknown, Unknown]`, which a cast (a call per object) would have to undo.

# Flags of a field, the optional fourth cell of a `_fields_` row (comma-separated).
_READ_ONLY = 1
_NAVIGATION = 2


def _rows(klass: type) -> typing.Iterator[tuple[str, str, str, str]]:
    """The rows of one class's own `_fields_`: wire name, field name, type, flags."""
    table = vars(klass).get("_fields_", "")
    # Model templates copied from docgen before the text table wrote a
    # tuple of (wire name, field name, type) tuples: still read.
    rows = table.splitlines() if isinstance(table, str) else table
    for row in rows:
        cells = row.split() if isinstance(row, str) else list(row)
        if not cells:
            continue
        if len(cells) not in (3, 4):
            raise TypeError(
                f"{klass.__name__}._fields_: "
                f"{row.strip() if isinstance(row, str) else row!r} is not"
                " 'wire-name field_name OData.type [flags]'"
            )
        yield cells[0], cells[1], cells[2], cells[3] if len(cells) == 4 else ""


class _Plan:
    """Everything `from_dict`/`to_dict` need for one class, built once."""

    __slots__ = ("by_wire", "fields", "meta", "nested", "rows")

    def __init__(self, cls: type[Model]) -> None:
        specs: dict[str, tuple[str, str, str]] = {}
        for klass in reversed(cls.__mro__):
            for wire, py, odata_type, flags in _rows(klass):
                specs[wire] = (py, odata_type, flags)
        # (wire name, field name, kind, flag bits), in table order.
        self.rows = tuple(
            (wire, py, _kind(odata_type), _flag_bits(flags))
            for wire, (py, odata_type, flags) in specs.items()
        )
        self.fields = tuple((wire, py, kind) for wire, py, kind, _ in self.rows)
        self.by_wire = {wire: (py, kind, bits) for wire, py, kind, bits in self.rows}
        self.nested = tuple(py for _, py, kind in self.fields if kind.nested)
        self.meta: dict[str, dict[str, object]] = {
            py: {
                "wire_name": wire,
                "odata_type": odata_type,
                "read_only": "readonly" in flags.split(","),
                "navigation": "navigation" in flags.split(","),
                "nullable": (
                    True
                    if "nullable" in flags.split(",")
                    else False if "notnull" in flags.split(",") else None
                ),
            }
            for wire, (py, odata_type, flags) in specs.items()
        }


def _flag_bits(flags: str) -> int:
    words = flags.split(",")
    return (_READ_ONLY if "readonly" in words else 0) | (
        _NAVIGATION if "navigation" in words else 0
    )


_PLANS: dict[type, _Plan] = {}


def _plan(cls: type[Model]) -> _Plan:
    return _PLANS.get(cls) or _PLANS.setdefault(cls, _Plan(cls))


_WIRE = "_wire_"  # instance attribute: field name -> (value as read, JSON as read)
_PROBLEMS = "_problems_"  # instance attribute: what did not fit, as ValidationErrors
# `additional_data` of an object read without any (never changed).
_NO_DATA: dict[str, typing.Any] = {}
_ASSIGNED = "_assigned_"  # instance attribute: fields assigned since built (PATCH)


def _read(cls: type[_M], given: typing.Any, strict: bool, depth: int) -> _M:
    """`cls.from_dict`: one object, its nested objects `depth` levels down."""
    data: dict[str, typing.Any]
    if given.__class__ is dict:
        data = given
    elif isinstance(given, collections.abc.Mapping):
        data = dict(_cast("typing.Mapping[str, typing.Any]", given))
    else:
        raise ValidationError(cls.__name__, None, given, "a JSON object")
    target = cls
    odata_type = data.get("@odata.type")
    own_type: str = cls._odata_type_  # pyright: ignore[reportPrivateUsage]
    if type(odata_type) is str and odata_type.lstrip("#") != own_type:
        named = _lookup(odata_type)
        # A known type that the docs do not derive from this class (their
        # bases are incomplete: `userIdentity` in an `identity` field) keeps
        # this class; the annotation stays in additional_data either way.
        if named is not None and named is not cls and issubclass(named, cls):
            target = named
    plan = _PLANS.get(target) or _plan(target)
    by_wire = plan.by_wire
    # Only the fields the payload gives: the others read None from the class,
    # so an object holds no more entries than the JSON object it came from.
    values: dict[str, typing.Any] = {}
    extra: dict[str, typing.Any] = {}
    memo: dict[str, tuple[object, object]] | None = None
    problems: list[ValidationError] | None = None
    for key, raw in data.items():
        spec = by_wire.get(key)
        if spec is None:
            extra[key] = raw
            continue
        py, kind, _ = spec
        if raw is None:
            if memo is None:
                memo = {}
            memo[py] = (None, None)  # an explicit null, written back as null
            continue
        if type(raw) in kind.ok:
            values[py] = raw
            continue
        try:
            if kind.load is None:
                raise _Bad(raw, kind.expected)
            value = kind.load(raw, strict, depth)
        except _Bad as bad:
            err = ValidationError(
                target.__name__, py, bad.value, bad.expected, py + bad.path
            )
            if strict:
                raise err from None
            # Kept as it came, under its wire name, and written back so.
            extra[key] = raw
            if problems is None:
                problems = []
            problems.append(err)
            continue
        except ValidationError as err:  # strict, in a nested object
            err.path = _at(py, err.path)
            raise
        values[py] = value
        if kind.memo:
            if memo is None:
                memo = {}
            memo[py] = (value.copy() if type(value) is list else value, raw)
    obj = target.__new__(target)
    if extra:  # else made on first use (Model.__getattr__)
        values["additional_data"] = extra
    if memo is not None:
        values[_WIRE] = memo
    if problems is not None:
        values[_PROBLEMS] = problems
    obj.__dict__.update(values)
    return obj


def _write(
    obj: Model,
    mask: int,
    depth: int,
    with_type: bool,
    only: typing.Collection[str] | None,
) -> dict[str, typing.Any]:
    """`obj.to_dict`; with `only`, just those fields, None as null (`to_patch`)."""
    cls = type(obj)
    plan = _PLANS.get(cls) or _plan(cls)
    attrs = obj.__dict__
    memo: dict[str, tuple[object, object]] | None = attrs.get(_WIRE)
    kept: typing.Any = attrs.get("additional_data", _NO_DATA)
    if kept.__class__ is not dict:
        raise ValidationError(cls.__name__, "additional_data", kept, "a dict")
    extra: dict[str, typing.Any] = kept
    out: dict[str, typing.Any] = {}
    own_type: str = cls._odata_type_  # pyright: ignore[reportPrivateUsage]
    if with_type and "@odata.type" not in extra and own_type:
        out["@odata.type"] = "#" + own_type
    select = mask or only is not None
    for wire, py, kind, bits in plan.rows:
        if select and (bits & mask or (only is not None and py not in only)):
            continue
        value = attrs.get(py)
        if memo is not None:
            seen = memo.get(py)
            if seen is not None and (
                value is seen[0] or (type(value) is type(seen[0]) and value == seen[0])
            ):
                out[wire] = seen[1]
                continue
        if value is None:
            if only is not None:
                out[wire] = None
            continue
        if type(value) in kind.ok:
            out[wire] = value
            continue
        try:
            if kind.dump is None:
                raise _Bad(value, kind.expected)
            out[wire] = kind.dump(value, mask, depth)
        except _Bad as bad:
            raise ValidationError(
                cls.__name__, py, bad.value, bad.expected, py + bad.path
            ) from None
        except ValidationError as err:
            err.path = _at(py, err.path)
            raise
    if only is None or "additional_data" in only:
        by_wire = plan.by_wire
        for key, raw in extra.items():
            if key not in out:
                if mask:
                    spec = by_wire.get(key)
                    if spec is not None and spec[2] & mask:
                        continue
                out[key] = raw
    return out


def _problems(
    obj: Model, prefix: str, out: list[ValidationError], seen: set[int]
) -> None:
    """Collect the problems of `obj` and the objects in its fields, with their paths."""
    if id(obj) in seen:
        return
    seen.add(id(obj))
    attrs = obj.__dict__
    for err in attrs.get(_PROBLEMS) or ():
        if prefix:
            err = ValidationError(
                err.cls, err.field, err.value, err.expected, _at(prefix, err.path)
            )
        out.append(err)
    for py in _plan(type(obj)).nested:
        value = attrs.get(py)
        if isinstance(value, Model):
            _problems(value, _at(prefix, py), out, seen)
        elif type(value) is list:
            items = _cast("list[object]", value)
            for i, x in enumerate(items):
                if isinstance(x, Model):
                    _problems(x, _at(prefix, f"{py}[{i}]"), out, seen)


class _Meta(collections.abc.Mapping[str, object]):
    """A field's `dataclasses.Field.metadata`, read from the class's `_fields_` on first use:
    `wire_name`, `odata_type`, `read_only`, `navigation`, `nullable` (None: not documented).
    """

    __slots__ = ("data", "name", "owner")

    def __init__(self, owner: type[Model], name: str) -> None:
        self.owner = owner
        self.name = name
        self.data: dict[str, object] | None = None

    def _get(self) -> dict[str, object]:
        data = self.data
        if data is None:
            data = self.data = _plan(self.owner).meta.get(self.name, {})
        return data

    def __getitem__(self, key: str) -> object:
        return self._get()[key]

    def __iter__(self) -> typing.Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


_TYPING_MODULES = frozenset({"builtins", "datetime", "decimal", "typing", "uuid"})


def _bind_names(owner: type, annotations: typing.Iterable[tuple[str, object]]) -> None:
    """Put the names `owner`'s annotations use into its module, importing them now.

    Modules import what annotations name for type checkers only (importing a
    model stays cheap); `typing.get_type_hints` evaluates annotations in the
    module's namespace, so they are bound there the first time it looks.
    """
    import builtins
    import sys

    module = sys.modules.get(owner.__module__)
    if module is None:
        return
    namespace = vars(module)
    types = {py: odata_type for _, py, odata_type, _ in _rows(owner)}
    for py, text in annotations:
        if type(text) is not str:
            continue
        for m in _RE.name.finditer(text):
            name, dot = m.groups()
            if name in namespace or name == "None":
                continue
            if dot:
                real = name.lstrip("_")
                if real in _TYPING_MODULES:
                    namespace[name] = importlib.import_module(real)
            elif not hasattr(builtins, name) and py in types:
                odata_type = types[py]
                if odata_type.startswith("Collection("):
                    odata_type = odata_type[11:-1]
                if not odata_type.startswith("Edm."):
                    namespace[name] = _resolve(odata_type)


class _Annotations(dict[str, object]):
    """A class's `__annotations__` that binds the names they use on first read
    after the class is made (see `_bind_names`): `typing.get_type_hints`,
    pydantic and the like then resolve them."""

    __slots__ = ("bound", "owner")

    def __init__(self, items: dict[str, object], owner: type) -> None:
        super().__init__(items)
        self.owner = owner
        self.bound = False

    def _bind(self) -> None:
        # Not while @dataclass reads them: the class is not done yet.
        if not self.bound and "__dataclass_fields__" in vars(self.owner):
            self.bound = True
            _bind_names(self.owner, list(super().items()))

    def items(self) -> typing.Any:
        self._bind()
        return super().items()

    def keys(self) -> typing.Any:
        self._bind()
        return super().keys()

    def values(self) -> typing.Any:
        self._bind()
        return super().values()

    def __iter__(self) -> typing.Iterator[str]:
        self._bind()
        return super().__iter__()

    def __getitem__(self, key: str) -> object:
        self._bind()
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self._bind()
        return super().__contains__(key)

    def get(self, key: str, default: object = None) -> object:
        self._bind()
        return super().get(key, default)


def _install_annotations(cls: type) -> None:
    found = vars(cls).get("__annotations__")
    if type(found) is dict:
        own = _cast("dict[str, object]", found)
        cls.__annotations__ = _Annotations(own, cls)


_MISSING = object()


def _new_dict() -> dict[str, typing.Any]:
    return {}


@dataclasses.dataclass(kw_only=True, repr=False)
class Model:
    """Base of every generated model.

    `additional_data` holds what the model has no field for: unknown keys,
    `@odata.*` annotations and values that did not fit their field, in the
    order read; `to_dict` writes them back.
    """

    additional_data: dict[str, typing.Any] = dataclasses.field(
        default_factory=_new_dict
    )

    # Class attributes, not fields: unannotated, so dataclasses leaves them out
    # without importing typing to recognize a ClassVar.
    _fields_ = ""  # see the module docstring
    _odata_type_ = ""
    _abstract_ = False  # the docs say the type is abstract

    def __init_subclass__(cls, **kwargs: typing.Any) -> None:
        # Runs before @dataclass reads the class: each field defaulting to None
        # gets metadata read from `_fields_` on first use, and the annotations
        # bind their names for `typing.get_type_hints` once the class is made.
        super().__init_subclass__(**kwargs)
        own = vars(cls)
        found = own.get("__annotations__")
        if type(found) is dict:
            annotations = _cast("dict[str, object]", found)
            field = dataclasses.field
            for name in annotations:
                if own.get(name, _MISSING) is None:
                    setattr(cls, name, field(default=None, metadata=_Meta(cls, name)))
            _install_annotations(cls)

    def __post_init__(self) -> None:
        # The constructor assigned every field: count those given a value.
        attrs = self.__dict__
        attrs[_ASSIGNED] = {
            name
            for name in attrs.pop(_ASSIGNED, ())
            if attrs.get(name) is not None
            and (name != "additional_data" or attrs[name])
        }

    def __setattr__(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)
        assigned = self.__dict__.get(_ASSIGNED)
        if assigned is None:
            self.__dict__[_ASSIGNED] = {name}
        else:
            assigned.add(name)

    if not TYPE_CHECKING:  # checkers would take every misspelt name for Any

        def __getattr__(self, name: str) -> typing.Any:
            # An object read from JSON has `additional_data` only when the payload
            # had keys left over; the empty dict is made on first use.
            if name != "additional_data":
                raise AttributeError(
                    f"{type(self).__name__!r} object has no attribute {name!r}"
                )
            data: dict[str, typing.Any] = {}
            self.__dict__[name] = data
            return data

    def __copy__(self) -> Self:
        new = type(self).__new__(type(self))
        attrs = dict(self.__dict__)
        for name in (_ASSIGNED, _PROBLEMS):
            if name in attrs:
                attrs[name] = type(attrs[name])(attrs[name])
        new.__dict__.update(attrs)
        return new

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        """The fields that hold a value (and `additional_data` if not empty)."""
        attrs = self.__dict__
        shown = [
            f"{name}={attrs[name]!r}"
            for name in self.__dataclass_fields__
            if name != "additional_data" and attrs.get(name) is not None
        ]
        if attrs.get("additional_data"):
            shown.append(f"additional_data={attrs['additional_data']!r}")
        return f"{type(self).__qualname__}({', '.join(shown)})"

    @classmethod
    def from_dict(
        cls, data: typing.Mapping[str, typing.Any], *, strict: bool = False
    ) -> Self:
        """Build an instance (of the subclass that `@odata.type` names) from JSON.

        A value that does not fit its field is kept as it came in
        `additional_data` (the field stays None) and recorded in `problems`;
        with `strict=True` it raises ValidationError instead. An `@odata.type`
        naming no subclass of this class keeps this class.
        """
        return _read(cls, data, strict, 0)

    @classmethod
    def from_json(cls, text: str | bytes, *, strict: bool = False) -> Self:
        """`from_dict` of a JSON text; text that is not JSON raises ValidationError."""
        import json

        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as err:
            raise ValidationError(
                cls.__name__, None, text, f"JSON text ({err})"
            ) from None
        return _read(cls, data, strict, 0)

    def to_dict(
        self,
        *,
        odata_type: bool = False,
        exclude_read_only: bool = False,
        exclude_navigation: bool = False,
    ) -> dict[str, typing.Any]:
        """The JSON object for this instance, with wire names.

        Values left as `from_dict` read them are written exactly as read;
        unknown keys and annotations from `additional_data` follow the fields.
        A nested object of a class derived from its field's type carries
        `@odata.type`; `odata_type=True` writes it for this object too.
        `exclude_read_only` / `exclude_navigation` leave out the fields the
        docs say are read-only / navigation properties (a POST body).
        """
        mask = (_READ_ONLY if exclude_read_only else 0) | (
            _NAVIGATION if exclude_navigation else 0
        )
        return _write(self, mask, 0, odata_type, None)

    def to_patch(
        self,
        *,
        odata_type: bool = False,
        exclude_read_only: bool = False,
        exclude_navigation: bool = False,
    ) -> dict[str, typing.Any]:
        """A PATCH body: only the fields assigned since `from_dict` (or given to the
        constructor), a field assigned None as null; `additional_data` only if assigned.
        """
        mask = (_READ_ONLY if exclude_read_only else 0) | (
            _NAVIGATION if exclude_navigation else 0
        )
        assigned: set[str] = self.__dict__.get(_ASSIGNED) or set()
        return _write(self, mask, 0, odata_type, assigned)

    def to_json(
        self,
        *,
        odata_type: bool = False,
        exclude_read_only: bool = False,
        exclude_navigation: bool = False,
    ) -> str:
        """`to_dict` as JSON text."""
        import json

        data = self.to_dict(
            odata_type=odata_type,
            exclude_read_only=exclude_read_only,
            exclude_navigation=exclude_navigation,
        )
        try:
            return json.dumps(data)
        except (TypeError, ValueError, RecursionError) as err:
            raise ValidationError(
                type(self).__name__, None, data, f"JSON values ({err})"
            ) from None

    @property
    def problems(self) -> list[ValidationError]:
        """What `from_dict` could not fit, here and in nested objects, with paths."""
        out: list[ValidationError] = []
        _problems(self, "", out, set())
        return out


_install_annotations(Model)
if TYPE_CHECKING:
    _M = typing.TypeVar("_M", bound=Model)
