"""The generated package reads and writes real payloads.

- every response example of the v1.0 API pages round-trips through the v1.0
  corpus package, or is refused with one clear error; the figures are printed
  (`pytest -s`) and bounded;
- the runtime's contract on the docs-src package: Edm conversions, errors
  naming class, field and value, `@odata.type` dispatch, explicit nulls;
- both packages pass `mypy --strict`.
"""

from __future__ import annotations

import copy
import datetime
import decimal
import importlib
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from docgen.model import Model
from tests.examples import Example, corpus_examples
from tests.test_generated import GENERATED, PACKAGE
from tests.test_render import EDM, build, prop, typedef

REPO = Path(__file__).resolve().parent.parent


def import_package(root: Path, name: str) -> Any:
    """Import `name` from `root`, first dropping any copy imported from elsewhere."""
    for mod in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[mod]
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(root))


@pytest.fixture()
def pkg() -> Iterator[Any]:
    yield import_package(GENERATED, PACKAGE)


# --- the v1.0 corpus: every response example ---


@pytest.fixture(scope="module")
def corpus_package(
    corpus_v1_resources: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Any]:
    out = tmp_path_factory.mktemp("v1")
    run = subprocess.run(
        [sys.executable, "-m", "docgen", "build", str(corpus_v1_resources), "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return out, import_package(out, "graph_models")


def classify(pkg: Any, examples: list[Example]) -> tuple[Counter[str], list[str]]:
    """Counts per outcome, and a line per payload that did not round-trip."""
    counts: Counter[str] = Counter()
    notes: list[str] = []
    for ex in examples:
        if ex.problem is not None:
            counts[
                (
                    "skipped: not JSON"
                    if ex.problem.startswith("not JSON")
                    else "skipped: " + ex.problem
                )
            ] += 1
            continue
        try:
            cls = pkg.model_for(ex.type_name)
        except KeyError:
            counts["skipped: type not in the package"] += 1
            continue
        for payload in ex.payloads:
            counts["tried"] += 1
            original = copy.deepcopy(payload)
            try:
                back = cls.from_dict(payload).to_dict()
            except pkg.ValidationError as err:
                counts["rejected"] += 1
                notes.append(f"rejected {ex.page}:{ex.line}: {err}")
                continue
            except Exception as err:  # noqa: BLE001 - counted and shown, never hidden
                counts["crashed"] += 1
                notes.append(f"crashed {ex.page}:{ex.line}: {type(err).__name__}: {err}")
                continue
            if payload != original:
                counts["crashed"] += 1
                notes.append(f"crashed {ex.page}:{ex.line}: from_dict changed its input")
            elif back == original:
                counts["round-tripped"] += 1
            else:
                counts["changed"] += 1
                notes.append(f"changed {ex.page}:{ex.line}")
    return counts, notes


def test_every_v1_response_example_round_trips(
    shared_dir: Path, corpus_package: tuple[Path, Any]
) -> None:
    api = shared_dir / "corpus" / "graph-docs-2021-07" / "api-reference" / "v1.0" / "api"
    examples = corpus_examples(api)
    counts, notes = classify(corpus_package[1], examples)
    print(
        f"\nresponse examples: {len(examples)}; "
        + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
    )
    print("\n".join(notes))
    tried = counts["tried"]
    assert tried > 1000
    assert counts["crashed"] == 0, notes
    assert counts["changed"] <= tried * 0.01, notes
    # Every rejection is an example's placeholder ("datetime-value", "Binary"),
    # a truncated value, or one of the few cases listed in README; bounded so
    # that a regression in the runtime shows.
    assert counts["rejected"] <= tried * 0.065, notes
    assert counts["round-tripped"] + counts["rejected"] + counts["changed"] == tried


def test_corpus_package_passes_mypy_strict(corpus_package: tuple[Path, Any]) -> None:
    out, _ = corpus_package
    start = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "graph_models"],
        cwd=out,
        env={**os.environ, "MYPYPATH": str(out)},
        capture_output=True,
        text=True,
    )
    print(f"\nmypy --strict on the v1.0 corpus package: {time.perf_counter() - start:.0f} s")
    assert run.returncode == 0, run.stdout[-5000:]


def test_docs_src_package_passes_mypy_strict(tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path),
            "-p",
            PACKAGE,
        ],
        cwd=GENERATED,
        env={**os.environ, "MYPYPATH": str(GENERATED)},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout


# --- the runtime's contract, on the docs-src package ---


def test_edm_values_convert_to_python_types(pkg: Any) -> None:
    window = pkg.ServiceWindow.from_dict(
        {"from": "2021-07-01T08:30:00.5+02:00", "expectedDuration": "P1DT2H30M"}
    )
    assert window.from_ == datetime.datetime(
        2021, 7, 1, 8, 30, 0, 500000, datetime.timezone(datetime.timedelta(hours=2))
    )
    assert window.expected_duration == datetime.timedelta(days=1, hours=2, minutes=30)
    vehicle = pkg.Vehicle.from_dict({"purchaseDate": "2020-02-29", "tags": ["a", "b"]})
    assert vehicle.purchase_date == datetime.date(2020, 2, 29)
    assert vehicle.tags == ["a", "b"]


def test_values_built_in_python_serialize_in_graph_spelling(pkg: Any) -> None:
    window = pkg.ServiceWindow(
        from_=datetime.datetime(2021, 7, 1, 6, 30, tzinfo=datetime.timezone.utc),
        expected_duration=datetime.timedelta(hours=1, minutes=30),
        priority=pkg.MaintenancePriority("urgent"),
    )
    assert window.to_dict() == {
        "from": "2021-07-01T06:30:00Z",
        "expectedDuration": "PT1H30M",
        "priority": "urgent",
    }


def test_changed_values_serialize_anew_and_unchanged_ones_as_read(pkg: Any) -> None:
    window = pkg.ServiceWindow.from_dict(
        {"from": "2021-07-01T06:30:00.1234567Z", "notes": None, "expectedDuration": "PT90M"}
    )
    assert window.to_dict() == {
        "from": "2021-07-01T06:30:00.1234567Z",
        "notes": None,
        "expectedDuration": "PT90M",
    }
    window.from_ = datetime.datetime(2022, 1, 1, tzinfo=datetime.timezone.utc)
    window.notes = "moved"
    assert window.to_dict() == {
        "from": "2022-01-01T00:00:00Z",
        "notes": "moved",
        "expectedDuration": "PT90M",
    }


def test_absent_and_null_stay_apart(pkg: Any) -> None:
    assert pkg.Vehicle.from_dict({"make": None}).to_dict() == {"make": None}
    assert pkg.Vehicle.from_dict({}).to_dict() == {}


def test_base_class_returns_the_subclass_odata_type_names(pkg: Any) -> None:
    item = pkg.Vehicle.from_dict({"@odata.type": "#microsoft.graph.truck", "axleCount": 3})
    assert type(item) is pkg.Truck and item.axle_count == 3
    same = pkg.from_dict({"@odata.type": "#microsoft.graph.truck"}, "microsoft.graph.vehicle")
    assert type(same) is pkg.Truck
    assert pkg.model_for("microsoft.graph.truck") is pkg.Truck
    assert pkg.model_for("#microsoft.graph.fleetRecords.tripRecord").__name__ == "TripRecord"
    # Nested values dispatch too, and an unknown type name keeps the declared class.
    fleet = pkg.Fleet.from_dict({"vehicles": [{"@odata.type": "#microsoft.graph.truck"}, {}]})
    assert [type(v) for v in fleet.vehicles] == [pkg.Truck, pkg.Vehicle]
    odd = pkg.Vehicle.from_dict({"@odata.type": "#microsoft.graph.hovercraft"})
    assert type(odd) is pkg.Vehicle
    assert odd.to_dict() == {"@odata.type": "#microsoft.graph.hovercraft"}
    with pytest.raises(KeyError, match="hovercraft"):
        pkg.model_for("microsoft.graph.hovercraft")
    # A known type that the docs do not derive from the class (their bases are
    # incomplete) keeps the class asked for, and the annotation.
    unrelated = pkg.Truck.from_dict({"@odata.type": "#microsoft.graph.depot", "axleCount": 2})
    assert type(unrelated) is pkg.Truck and unrelated.axle_count == 2
    assert unrelated.to_dict() == {"@odata.type": "#microsoft.graph.depot", "axleCount": 2}


def test_polymorphic_lookup_imports_only_what_it_needs(pkg: Any) -> None:
    script = (
        "import sys, graph_models\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('graph_models.'))\n"
        "assert loaded == [], loaded\n"
        "v = graph_models.from_dict({'@odata.type': '#microsoft.graph.truck'}, "
        "'microsoft.graph.vehicle')\n"
        "print(sorted(m for m in sys.modules if m.startswith('graph_models.')))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=GENERATED, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(
        [
            "graph_models._registry",
            "graph_models._runtime",
            "graph_models.entity",
            "graph_models.truck",
            "graph_models.vehicle",
        ]
    )


@pytest.mark.parametrize(
    ("payload", "field", "value"),
    [
        ({"purchaseDate": "date-value"}, "purchase_date", "'date-value'"),
        ({"isActive": "true"}, "is_active", "'true'"),
        ({"tags": "one"}, "tags", "'one'"),
        ({"tags": ["a", 2]}, "tags[...]", "2"),
        ({"class": {"name": "heavy"}}, "class_", "{'name': 'heavy'}"),
        ({"nextService": "tomorrow"}, "next_service", "'tomorrow'"),
        ({"nextService": {"from": "noon"}}, "from_", "'noon'"),
    ],
)
def test_wrong_shapes_raise_one_clear_error(
    pkg: Any, payload: dict[str, Any], field: str, value: str
) -> None:
    with pytest.raises(pkg.ValidationError) as info:
        pkg.Vehicle.from_dict(payload)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.field == field
    assert f".{field}: expected " in str(err) and str(err).endswith(f"got {value}")


def test_bools_are_not_integers_and_wrong_types_do_not_serialize(pkg: Any) -> None:
    with pytest.raises(pkg.ValidationError, match=r"Truck\.axle_count"):
        pkg.Truck.from_dict({"axleCount": True})
    with pytest.raises(pkg.ValidationError, match=r"ServiceWindow\.from_"):
        pkg.ServiceWindow(from_="yesterday").to_dict()  # type: ignore[arg-type]
    with pytest.raises(pkg.ValidationError, match="Vehicle: expected a JSON object"):
        pkg.Vehicle.from_dict(["not", "an", "object"])


def test_guids_and_binary(pkg: Any) -> None:
    trip = pkg.model_for("microsoft.graph.fleetRecords.tripRecord").from_dict(
        {"correlationId": "6F9619FF-8B86-D011-B42D-00C04FC964FF"}
    )
    assert trip.correlation_id == uuid.UUID("6f9619ff-8b86-d011-b42d-00c04fc964ff")
    assert trip.to_dict() == {"correlationId": "6F9619FF-8B86-D011-B42D-00C04FC964FF"}
    doc = pkg.VehicleDocument.from_dict({"content": "aGVsbG8="})
    assert doc.content == b"hello"
    assert doc.to_dict() == {"content": "aGVsbG8="}
    with pytest.raises(pkg.ValidationError, match=r"TripRecord\.correlation_id: .*'Guid'"):
        pkg.model_for("microsoft.graph.fleetRecords.tripRecord").from_dict(
            {"correlationId": "Guid"}
        )
    with pytest.raises(pkg.ValidationError, match=r"VehicleDocument\.content: .*'Binary'"):
        pkg.VehicleDocument.from_dict({"content": "Binary"})


def test_flags_enums_read_and_write_comma_lists(pkg: Any) -> None:
    flags = pkg.VehicleFeatures
    both = flags.TOW_HITCH | flags.REFRIGERATION
    assert both.value == "towHitch,refrigeration"
    assert flags("towHitch,refrigeration") is both
    assert flags.TOW_HITCH in both and flags.ROOF_RACK not in both
    vehicle = pkg.Vehicle(features=both)
    assert vehicle.to_dict() == {"features": "towHitch,refrigeration"}
    assert pkg.Vehicle.from_dict({"features": "roofRack,towHitch"}).features.flags == (
        flags.ROOF_RACK,
        flags.TOW_HITCH,
    )


# --- every Edm type, on a package built for the purpose ---


def test_every_edm_type_converts_and_round_trips(tmp_path: Path) -> None:
    props = tuple(prop(t.split(".")[1], t) for t in EDM) + tuple(
        prop(t.split(".")[1] + "List", t, collection=True) for t in EDM
    )
    build(Model(types=(typedef("allTypes", "AllTypes", "all_types", properties=props),)), tmp_path)
    pkg = import_package(tmp_path, "pkg")

    payload = {
        "String": "s",
        "Boolean": False,
        "Byte": 255,
        "SByte": -128,
        "Int16": -3,
        "Int32": 7,
        "Int64": 2**62,
        "Single": "INF",
        "Double": 1.5,
        "Decimal": 10.25,
        "DateTimeOffset": "2021-01-02T03:04:05.678+01:00",
        "Date": "2021-01-02",
        "TimeOfDay": "23:59:59.9999999",
        "Duration": "-P2DT0.5S",
        "Guid": "00000000-0000-0000-0000-00000000000a",
        "Binary": "AAEC",
        "Stream": "AAEC",
        "Untyped": {"any": ["json", 1]},
        "Geography": {"type": "Point", "coordinates": [1, 2]},
        "DecimalList": [1, "2.50", 3.5],
        "DateList": ["2020-01-01", None],
        "DoubleList": [1, 2.5, "NaN"],
    }
    obj = pkg.AllTypes.from_dict(payload)
    assert obj.to_dict() == payload
    assert obj.Int64 == 2**62 and obj.Single == float("inf")
    assert obj.Decimal == decimal.Decimal("10.25")
    assert obj.DecimalList == [decimal.Decimal(1), decimal.Decimal("2.50"), decimal.Decimal("3.5")]
    assert obj.TimeOfDay == datetime.time(23, 59, 59, 999999)
    assert obj.Duration == -datetime.timedelta(days=2, seconds=0.5)
    assert obj.Binary == b"\x00\x01\x02" and obj.Stream == b"\x00\x01\x02"
    assert obj.Untyped == {"any": ["json", 1]}
    assert obj.DateTimeOffset.utcoffset() == datetime.timedelta(hours=1)
    fresh = pkg.AllTypes(
        Decimal=decimal.Decimal("1.50"),
        Duration=datetime.timedelta(minutes=-90),
        Binary=b"hi",
        Double=float("-inf"),
    )
    assert fresh.to_dict() == {
        "Decimal": 1.5,
        "Duration": "-PT1H30M",
        "Binary": "aGk=",
        "Double": "-INF",
    }
    for wrong in [
        {"Int32": 1.5},
        {"Int16": "3"},
        {"Decimal": "ten"},
        {"Decimal": True},
        {"Duration": "P1Y"},
        {"Date": "2021-02-30"},
        {"DateTimeOffset": "2021-01-02"},
        {"TimeOfDay": "25:00:00"},
        {"Double": "1.5"},
        {"BooleanList": [True, "false"]},
    ]:
        with pytest.raises(pkg.ValidationError, match=rf"AllTypes\.{next(iter(wrong))}"):
            pkg.AllTypes.from_dict(wrong)
