"""Random valid payloads for the docs-src models round-trip through the generated package.

Payloads are drawn from the docs model (`docgen`'s parse of docs-src), not from
the generated `_fields_` tables, and spelt the many ways JSON may spell a value
(`Z` or `+00:00`, 0 to 7 fraction digits, GUIDs in either case). The check is
`to_dict(from_dict(x)) == x`, plus: unknown keys, annotations, explicit nulls
and unknown enum values survive.
"""

from __future__ import annotations

import base64
import importlib
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.model import Model, TypeDef
from docgen.pipeline import load_model
from tests.test_generated import DOCS, GENERATED, PACKAGE

JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


@pytest.fixture(scope="module")
def package() -> Iterator[Any]:
    sys.path.insert(0, str(GENERATED))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(GENERATED))


MODEL: Model = load_model([DOCS])
TYPES: dict[str, TypeDef] = MODEL.by_qualified()


def _fraction() -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), st.from_regex(r"\.[0-9]{1,7}", fullmatch=True))


def _offset() -> st.SearchStrategy[str]:
    return st.sampled_from(["Z", "+00:00", "-08:00", "+05:30", ""])


def datetimes() -> st.SearchStrategy[str]:
    return st.builds(
        lambda d, t, f, z: f"{d.isoformat()}T{t.strftime('%H:%M:%S')}{f}{z}",
        st.dates(),
        st.times(),
        _fraction(),
        _offset(),
    )


def times() -> st.SearchStrategy[str]:
    return st.builds(lambda t, f: t.strftime("%H:%M:%S") + f, st.times(), _fraction())


def durations() -> st.SearchStrategy[str]:
    part = st.none() | st.integers(0, 400)
    return st.builds(
        lambda sign, d, h, m, s: sign
        + "P"
        + (f"{d}D" if d is not None else "")
        + ("T" + (f"{h}H" if h is not None else "") + (f"{m}M" if m is not None else "") + f"{s}S"),
        st.sampled_from(["", "-"]),
        part,
        part,
        part,
        st.integers(0, 59).map(str) | st.from_regex(r"[0-9]{1,2}\.[0-9]{1,6}", fullmatch=True),
    )


def guids() -> st.SearchStrategy[str]:
    return st.builds(lambda u, up: str(u).upper() if up else str(u), st.uuids(), st.booleans())


PRIMITIVES: dict[str, st.SearchStrategy[Any]] = {
    "Edm.String": st.text(max_size=20),
    "Edm.Boolean": st.booleans(),
    "Edm.Int32": st.integers(-(2**31), 2**31 - 1),
    "Edm.Int64": st.integers(-(2**63), 2**63 - 1),
    "Edm.Double": st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["NaN", "INF", "-INF"]),
    "Edm.DateTimeOffset": datetimes(),
    "Edm.Date": st.dates().map(lambda d: d.isoformat()),
    "Edm.TimeOfDay": times(),
    "Edm.Duration": durations(),
    "Edm.Guid": guids(),
    "Edm.Binary": st.binary(max_size=20).map(lambda b: base64.b64encode(b).decode()),
}


def enum_values(t: TypeDef) -> st.SearchStrategy[str]:
    known = [m.name for m in t.members]
    unknown = st.from_regex(r"[a-z][A-Za-z0-9]{0,10}", fullmatch=True)
    if t.flags:
        return st.lists(st.sampled_from(known) | unknown, min_size=1, max_size=4, unique=True).map(
            ",".join
        )
    return st.sampled_from(known) | unknown


def subclasses(t: TypeDef) -> list[TypeDef]:
    out = [t]
    for other in MODEL.types:
        if other.base == t.qualified:
            out.extend(subclasses(other))
    return out


def all_properties(t: TypeDef) -> list[Any]:
    chain = []
    cur: TypeDef | None = t
    while cur is not None:
        chain.append(cur)
        cur = TYPES[cur.base] if cur.base else None
    return [p for c in reversed(chain) for p in c.properties]


def value_of(type_name: str, depth: int) -> st.SearchStrategy[Any]:
    if type_name in PRIMITIVES:
        return PRIMITIVES[type_name]
    t = TYPES[type_name]
    if t.kind == "enum":
        return enum_values(t)
    return payloads(t, depth + 1)


def payloads(t: TypeDef, depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    """A JSON object of type `t` or of one of its subclasses (named by `@odata.type`)."""
    choices = []
    for sub in subclasses(t):
        fields: dict[str, st.SearchStrategy[Any]] = {}
        for p in all_properties(sub):
            item = value_of(p.enum or p.type, depth) if depth < 2 else st.none()
            value = st.lists(item, max_size=3) if p.collection else item
            fields[p.name] = st.none() | value
        annotations = st.fixed_dictionaries(
            {},
            optional={
                "@odata.type": st.just("#" + sub.qualified),
                "@odata.etag": st.text(max_size=6),
                "unknownKey": JSON,
                "navigation@odata.nextLink": st.text(max_size=6),
            },
        )
        if sub is not t:  # a subclass is only recognizable by its annotation
            annotations = annotations.map(lambda a, q=sub.qualified: {**a, "@odata.type": "#" + q})
        body = st.fixed_dictionaries({}, optional=fields)
        choices.append(st.builds(lambda b, a: {**b, **a}, body, annotations))
    return st.one_of(choices)


STRUCTURED = sorted(q for q, t in TYPES.items() if t.kind != "enum")


@pytest.mark.parametrize("type_name", STRUCTURED)
def test_random_payloads_roundtrip(package: Any, type_name: str) -> None:
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(payloads(TYPES[type_name]))
    def check(payload: dict[str, Any]) -> None:
        obj = package.from_dict(payload, type_name)
        assert obj.to_dict() == payload
        named = payload.get("@odata.type")
        if named:
            assert obj._odata_type_ == named.lstrip("#")

    check()


def test_unknown_enum_values_and_keys_survive(package: Any) -> None:
    payload = {
        "id": "v1",
        "class": "amphibious",  # not a documented vehicleClass value
        "features": "towHitch,jetPack",  # a flags value with an unknown flag
        "fuelType": None,
        "color": "red",  # no such property
        "@odata.etag": 'W/"1"',
        "homeDepot@odata.navigationLink": "depots/1",
    }
    vehicle = package.Vehicle.from_dict(payload)
    assert vehicle.class_.value == "amphibious"
    assert isinstance(vehicle.class_, package.VehicleClass)
    assert package.VehicleFeatures.TOW_HITCH in vehicle.features
    assert [f.value for f in vehicle.features.flags] == ["towHitch", "jetPack"]
    assert vehicle.additional_data == {
        "color": "red",
        "@odata.etag": 'W/"1"',
        "homeDepot@odata.navigationLink": "depots/1",
    }
    assert vehicle.to_dict() == payload
