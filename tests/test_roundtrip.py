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
import dataclasses
import datetime
import decimal
import importlib
import json
import os
import shutil
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


def classify(
    pkg: Any, examples: list[Example], strict: bool = False
) -> tuple[Counter[str], list[str]]:
    """Counts per outcome, and a line per payload that did not round-trip
    (or, read tolerantly, round-tripped with problems)."""
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
                obj = cls.from_dict(payload, strict=strict)
                back = obj.to_dict()
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
                for problem in obj.problems:
                    counts["problems kept"] += 1
                    notes.append(f"kept {ex.page}:{ex.line}: {problem}")
            else:
                counts["changed"] += 1
                notes.append(f"changed {ex.page}:{ex.line}")
    return counts, notes


def test_every_v1_response_example_round_trips(
    shared_dir: Path, corpus_package: tuple[Path, Any]
) -> None:
    api = shared_dir / "corpus" / "graph-docs-2021-07" / "api-reference" / "v1.0" / "api"
    examples = corpus_examples(api)
    pkg = corpus_package[1]
    counts, notes = classify(pkg, examples)
    strict_counts, strict_notes = classify(pkg, examples, strict=True)
    for label, c, n in (("default", counts, notes), ("strict", strict_counts, strict_notes)):
        print(
            f"\n{label}: response examples: {len(examples)}; "
            + ", ".join(f"{k}: {v}" for k, v in sorted(c.items()))
        )
        print("\n".join(n))
    tried = counts["tried"]
    assert tried > 1000
    # Read tolerantly, every payload comes back exactly as it was.
    assert counts["round-tripped"] == tried, notes
    assert counts["rejected"] == counts["changed"] == counts["crashed"] == 0, notes
    # Strictly, the values that did not fit are refused: one rejection per
    # payload that kept problems. Every one is an example's placeholder
    # ("datetime-value", "Binary"), a truncated value, or one of the few cases
    # listed in README; bounded so that a regression in the runtime shows.
    with_problems = {note.split(": ")[0].split(" ", 1)[1] for note in notes}
    rejected = {note.split(": ")[0].split(" ", 1)[1] for note in strict_notes}
    assert rejected == with_problems
    assert strict_counts["crashed"] == strict_counts["changed"] == 0, strict_notes
    assert strict_counts["rejected"] <= tried * 0.065, strict_notes


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


def run_pyright(root: Path, *files: str) -> list[dict[str, Any]]:
    """pyright in strict mode on `root`: its error diagnostics. Skips without pyright
    (`pip install pyright`, in the test extras; it fetches its node package on first use)."""
    pyright = shutil.which("pyright")
    if pyright is None:
        pytest.skip("pyright is not installed (pip install pyright)")
    config = {"typeCheckingMode": "strict", "pythonVersion": "3.11", "include": list(files)}
    (root / "pyrightconfig.json").write_text(json.dumps(config), encoding="utf-8")
    run = subprocess.run(
        [pyright, "--outputjson"], cwd=root, capture_output=True, text=True, timeout=900
    )
    report = json.loads(run.stdout)
    return [d for d in report["generalDiagnostics"] if d["severity"] == "error"]


def test_corpus_package_passes_pyright_strict(corpus_package: tuple[Path, Any]) -> None:
    out, _ = corpus_package
    errors = run_pyright(out, PACKAGE)
    assert errors == [], errors[:20]


OPEN_ENUM_USE = """
from typing import assert_never

from graph_models import Vehicle, VehicleClass


def is_new_class(vehicle: Vehicle) -> bool:
    return vehicle.class_ == "teenager"  # a value the docs do not list


def describe(value: VehicleClass | str) -> str:
    if value is VehicleClass.COMPACT or value is VehicleClass.STANDARD:
        return "small"
    if value is VehicleClass.HEAVY or value is VehicleClass.UNKNOWN_FUTURE_VALUE:
        return "large"
    assert_never(value)  # an error: values beyond the members remain
"""


def test_docs_src_package_passes_pyright_strict_and_enums_stay_open(tmp_path: Path) -> None:
    shutil.copytree(GENERATED / PACKAGE, tmp_path / PACKAGE)
    (tmp_path / "use.py").write_text(OPEN_ENUM_USE, encoding="utf-8")
    errors = run_pyright(tmp_path, PACKAGE, "use.py")
    line = OPEN_ENUM_USE.split("\n").index(
        "    assert_never(value)  # an error: values beyond the members remain"
    )
    assert [(Path(e["file"]).name, e["range"]["start"]["line"]) for e in errors] == [
        ("use.py", line)
    ], errors


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
        ({"tags": ["a", 2]}, "tags", "2 (at tags[1])"),
        ({"class": {"name": "heavy"}}, "class_", "{'name': 'heavy'}"),
        ({"nextService": "tomorrow"}, "next_service", "'tomorrow'"),
        ({"nextService": {"from": "noon"}}, "from_", "'noon' (at next_service.from_)"),
    ],
)
def test_wrong_shapes_raise_one_clear_error(
    pkg: Any, payload: dict[str, Any], field: str, value: str
) -> None:
    with pytest.raises(pkg.ValidationError) as info:
        pkg.Vehicle.from_dict(payload, strict=True)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.field == field
    assert f".{field}: expected " in str(err) and str(err).endswith(f"got {value}")


def test_bools_are_not_integers_and_wrong_types_do_not_serialize(pkg: Any) -> None:
    with pytest.raises(pkg.ValidationError, match=r"Truck\.axle_count"):
        pkg.Truck.from_dict({"axleCount": True}, strict=True)
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
            {"correlationId": "Guid"}, strict=True
        )
    with pytest.raises(pkg.ValidationError, match=r"VehicleDocument\.content: .*'Binary'"):
        pkg.VehicleDocument.from_dict({"content": "Binary"}, strict=True)


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
            pkg.AllTypes.from_dict(wrong, strict=True)


# --- tolerant reading (issue 15.1) ---


def test_values_that_do_not_fit_are_kept_as_read_and_reported(pkg: Any) -> None:
    payload = {
        "make": "Volvo",
        "purchaseDate": "date-value",  # a docs placeholder, not a date
        "tags": "refrigerated",  # the docs say a collection; the service sends one string
        "isActive": True,
    }
    vehicle = pkg.Vehicle.from_dict(payload)
    assert vehicle.make == "Volvo" and vehicle.is_active is True
    assert vehicle.purchase_date is None and vehicle.tags is None
    assert vehicle.additional_data == {"purchaseDate": "date-value", "tags": "refrigerated"}
    assert [(p.cls, p.field, p.path, p.value) for p in vehicle.problems] == [
        ("Vehicle", "purchase_date", "purchase_date", "date-value"),
        ("Vehicle", "tags", "tags", "refrigerated"),
    ]
    assert all(isinstance(p, pkg.ValidationError) for p in vehicle.problems)
    assert vehicle.to_dict() == payload
    # What fits is still typed; problems take no part in equality.
    assert vehicle == pkg.Vehicle(
        make="Volvo", is_active=True, additional_data=vehicle.additional_data
    )
    # Assigning the field replaces the value kept as read.
    vehicle.purchase_date = datetime.date(2020, 2, 29)
    assert vehicle.to_dict()["purchaseDate"] == "2020-02-29"


def test_problems_in_nested_objects_carry_their_path(pkg: Any) -> None:
    payload = {
        "displayName": "North",
        "vehicles": [
            {"make": "Volvo"},
            {"@odata.type": "#microsoft.graph.truck", "axleCount": "three", "tags": ["a", 2]},
        ],
        "headquarters": {"city": 7},
    }
    fleet = pkg.Fleet.from_dict(payload)
    assert fleet.to_dict() == payload
    assert type(fleet.vehicles[1]) is pkg.Truck and fleet.vehicles[1].axle_count is None
    assert sorted(p.path for p in fleet.problems) == [
        "headquarters.city",
        "vehicles[1].axle_count",
        "vehicles[1].tags[1]",
    ]
    # The nested object knows its own problems, relative to itself.
    assert [p.path for p in fleet.vehicles[1].problems] == ["axle_count", "tags[1]"]
    err = next(p for p in fleet.problems if p.path == "vehicles[1].tags[1]")
    assert (err.cls, err.field, err.value) == ("Truck", "tags", 2)
    assert str(err).endswith("got 2 (at vehicles[1].tags[1])")


def test_strict_reading_raises_with_the_path(pkg: Any) -> None:
    payload = {"vehicles": [{}, {"purchaseDate": "2021-02-30"}]}
    with pytest.raises(pkg.ValidationError) as info:
        pkg.Fleet.from_dict(payload, strict=True)
    assert info.value.path == "vehicles[1].purchase_date"
    assert (info.value.cls, info.value.field) == ("Vehicle", "purchase_date")
    with pytest.raises(pkg.ValidationError, match=r"at vehicles\[1\]\.purchase_date"):
        pkg.from_dict(payload, "microsoft.graph.fleet", strict=True)
    assert pkg.from_dict(payload, "microsoft.graph.fleet").to_dict() == payload


# --- @odata.type on write (issue 15.2) ---


def test_derived_objects_are_written_with_their_odata_type(pkg: Any) -> None:
    fleet = pkg.Fleet(vehicles=[pkg.Truck(axle_count=3), pkg.Vehicle(make="Fiat")])
    data = fleet.to_dict()
    assert data == {
        "vehicles": [
            {"@odata.type": "#microsoft.graph.truck", "axleCount": 3},
            {"make": "Fiat"},
        ]
    }
    back = pkg.Fleet.from_dict(data)
    assert [type(v) for v in back.vehicles] == [pkg.Truck, pkg.Vehicle]
    assert back.vehicles[0].axle_count == 3 and back.vehicles[0].additional_data == {
        "@odata.type": "#microsoft.graph.truck"
    }
    assert back.to_dict() == data  # written once, not twice
    truck = pkg.Truck(axle_count=2)
    assert truck.to_dict() == {"axleCount": 2}
    assert truck.to_dict(odata_type=True) == {
        "@odata.type": "#microsoft.graph.truck",
        "axleCount": 2,
    }
    assert type(pkg.Vehicle.from_dict(truck.to_dict(odata_type=True))) is pkg.Truck


# --- PATCH and POST bodies (issue 15.3) ---


def test_to_patch_writes_only_what_was_assigned(pkg: Any) -> None:
    vehicle = pkg.Vehicle.from_dict(
        {"id": "v1", "make": "Volvo", "model": "FH16", "purchaseDate": "2020-02-29", "vin": "X"}
    )
    assert vehicle.to_patch() == {}
    vehicle.make = "Scania"  # an edit
    vehicle.model = None  # a clearing: sent as null
    assert vehicle.to_patch() == {"make": "Scania", "model": None}
    # to_dict keeps its meaning: the whole object, the cleared field left out.
    assert vehicle.to_dict() == {
        "id": "v1",
        "make": "Scania",
        "purchaseDate": "2020-02-29",
        "vin": "X",
    }
    built = pkg.Vehicle(make="MAN", tags=["cold"])
    assert built.to_patch() == {"make": "MAN", "tags": ["cold"]}
    built.vin = None
    assert built.to_patch() == {"make": "MAN", "tags": ["cold"], "vin": None}
    # A copy tracks its own assignments.
    twin = copy.copy(built)
    twin.model = "TGX"
    assert "model" not in built.to_patch() and twin.to_patch()["model"] == "TGX"


def test_read_only_and_navigation_fields_can_be_left_out(pkg: Any) -> None:
    fleet = pkg.Fleet(
        id="f1",  # read-only (entity.md)
        display_name="North",
        created_date_time=datetime.datetime(2021, 1, 1, tzinfo=datetime.timezone.utc),
        vehicle_count=4,  # read-only
        depots=[pkg.Depot(display_name="Yard")],  # navigation
        vehicles=[pkg.Vehicle(make="Volvo")],  # navigation, read-only
    )
    assert set(fleet.to_dict()) == {
        "id",
        "displayName",
        "createdDateTime",
        "vehicleCount",
        "depots",
        "vehicles",
    }
    assert fleet.to_dict(exclude_read_only=True) == {
        "displayName": "North",
        "depots": [{"displayName": "Yard"}],
    }
    assert fleet.to_dict(exclude_navigation=True) == {
        "id": "f1",
        "displayName": "North",
        "createdDateTime": "2021-01-01T00:00:00Z",
        "vehicleCount": 4,
    }
    assert fleet.to_dict(exclude_read_only=True, exclude_navigation=True) == {
        "displayName": "North"
    }
    fleet.vehicle_count = 5
    assert fleet.to_patch(exclude_read_only=True) == {
        "displayName": "North",
        "depots": [{"displayName": "Yard"}],
    }


# --- pages and errors (issue 15.4) ---


def test_pages_read_items_polymorphically_and_write_back(pkg: Any) -> None:
    body = {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#vehicles",
        "@odata.count": 3,
        "@odata.nextLink": "https://graph.microsoft.com/v1.0/vehicles?$skiptoken=X",
        "value": [
            {"@odata.type": "#microsoft.graph.truck", "axleCount": 3},
            {"make": "Fiat"},
            {"purchaseDate": "date-value"},
        ],
    }
    page = pkg.page_from_dict(body, pkg.Vehicle)
    assert isinstance(page, pkg.Page)
    assert [type(v) for v in page.value] == [pkg.Truck, pkg.Vehicle, pkg.Vehicle]
    assert page.count == 3 and page.next_link.endswith("skiptoken=X") and page.delta_link is None
    assert page.additional_data == {"@odata.context": body["@odata.context"]}
    assert [p.path for p in page.problems] == ["value[2].purchase_date"]
    assert page.to_dict() == body
    by_name = pkg.page_from_dict({"value": [], "@odata.deltaLink": "d"}, "microsoft.graph.vehicle")
    assert by_name.value == [] and by_name.delta_link == "d"
    with pytest.raises(pkg.ValidationError, match=r"at value\[0\]\.purchase_date"):
        pkg.page_from_dict(body | {"value": [{"purchaseDate": "x"}]}, pkg.Vehicle, strict=True)
    for bad in ({"value": "nope"}, ["not", "an", "object"], {"value": [1]}):
        with pytest.raises(pkg.ValidationError):
            pkg.page_from_dict(bad, pkg.Vehicle)
    # Built in code: an item of a class derived from the others' says so.
    built = pkg.Page(value=[pkg.Truck(axle_count=1), pkg.Vehicle()])
    assert built.to_dict() == {
        "value": [{"@odata.type": "#microsoft.graph.truck", "axleCount": 1}, {}]
    }


def test_graph_error_bodies_read_into_odata_error(pkg: Any) -> None:
    body = {
        "error": {
            "code": "Request_ResourceNotFound",
            "message": "Resource 'x' does not exist.",
            "details": [{"code": "NotFound", "message": "gone", "target": "id"}],
            "innerError": {
                "date": "2021-07-01T06:30:00",
                "request-id": "a1b2",
                "client-request-id": "c3d4",
            },
        }
    }
    err = pkg.ODataError.from_dict(body)
    assert err.code == "Request_ResourceNotFound" and err.message.startswith("Resource")
    assert err.error.details[0].target == "id"
    assert err.error.inner_error.request_id == "a1b2"
    assert err.error.inner_error.date == datetime.datetime(2021, 7, 1, 6, 30)
    assert err.to_dict() == body
    assert pkg.ODataError.from_dict({}).code is None


# --- typing and metadata (issue 15.5) ---


def _model_classes(pkg: Any) -> list[type]:
    registry = importlib.import_module(pkg.__name__ + "._registry")
    classes = [
        pkg.model_for(name) for name, _ in sorted(registry.TYPES.items()) if _is_model(pkg, name)
    ]
    assert len(classes) > 10
    return classes


def _is_model(pkg: Any, name: str) -> bool:
    try:
        pkg.model_for(name)
    except KeyError:
        return False
    return True


def test_get_type_hints_works_on_every_model(pkg: Any) -> None:
    import typing

    for cls in _model_classes(pkg) + [pkg.ODataError]:
        hints = typing.get_type_hints(cls)
        assert set(hints) == {f.name for f in dataclasses.fields(cls)}, cls
    hints = typing.get_type_hints(pkg.Truck)
    assert hints["axle_count"] == int | None
    assert hints["purchase_date"] == datetime.date | None
    assert hints["home_depot"] == pkg.Depot | None
    assert hints["trips"] == list[pkg.model_for("microsoft.graph.fleetRecords.tripRecord")] | None
    assert hints["class_"] == pkg.VehicleClass | str | None
    assert hints["additional_data"] == dict[str, typing.Any]


def test_importing_a_model_still_leaves_typing_unimported() -> None:
    script = (
        "import sys\n"
        "from graph_models import Truck\n"
        "assert 'typing' not in sys.modules, 'typing imported'\n"
        "import typing\n"
        "print(typing.get_type_hints(Truck)['home_depot'])\n"
    )
    run = subprocess.run(
        [sys.executable, "-S", "-c", script],
        cwd=GENERATED,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(GENERATED)},
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "graph_models.depot.Depot | None"


def test_pydantic_validates_a_payload_against_a_model(pkg: Any) -> None:
    pydantic = pytest.importorskip("pydantic")
    adapter = pydantic.TypeAdapter(pkg.Vehicle)
    vehicle = adapter.validate_python(
        {"make": "Volvo", "purchase_date": "2020-02-29", "home_depot": {"bay_count": 4}}
    )
    assert vehicle.purchase_date == datetime.date(2020, 2, 29)
    assert type(vehicle.home_depot) is pkg.Depot and vehicle.home_depot.bay_count == 4
    with pytest.raises(pydantic.ValidationError):
        adapter.validate_python({"purchase_date": "not a date"})


def test_field_metadata_says_what_the_docs_say(pkg: Any) -> None:
    meta = {f.name: dict(f.metadata) for f in dataclasses.fields(pkg.Fleet)}
    assert meta["vehicles"] == {
        "wire_name": "vehicles",
        "odata_type": "Collection(microsoft.graph.vehicle)",
        "read_only": True,
        "navigation": True,
        "nullable": True,
    }
    assert meta["display_name"] == {
        "wire_name": "displayName",
        "odata_type": "Edm.String",
        "read_only": False,
        "navigation": False,
        "nullable": None,  # the docs do not say
    }
    assert meta["id"]["read_only"] is True  # inherited from entity
    assert meta["additional_data"] == {}


# --- JSON text, naive datetimes, repr (issue 15.7) ---


def test_json_text_round_trips(pkg: Any) -> None:
    text = '{"make": "Volvo", "purchaseDate": "2020-02-29", "tags": ["a"]}'
    vehicle = pkg.Vehicle.from_json(text)
    assert vehicle.purchase_date == datetime.date(2020, 2, 29)
    assert json.loads(vehicle.to_json()) == json.loads(text)
    assert json.loads(pkg.Truck(axle_count=1).to_json(odata_type=True)) == {
        "@odata.type": "#microsoft.graph.truck",
        "axleCount": 1,
    }
    for bad in ("{not json", "[1, 2]", "[" * 100_000):
        with pytest.raises(pkg.ValidationError):
            pkg.Vehicle.from_json(bad)


def test_naive_datetimes_are_refused_on_write(pkg: Any) -> None:
    window = pkg.ServiceWindow(from_=datetime.datetime(2021, 7, 1, 8, 30))
    with pytest.raises(pkg.ValidationError, match=r"ServiceWindow\.from_: .*time zone"):
        window.to_dict()
    # One read without an offset is written back as read.
    read = pkg.ServiceWindow.from_dict({"from": "2021-07-01T08:30:00"})
    assert read.to_dict() == {"from": "2021-07-01T08:30:00"}


def test_repr_leaves_out_fields_that_hold_none(pkg: Any) -> None:
    assert repr(pkg.Truck(axle_count=3, make="Volvo")) == "Truck(make='Volvo', axle_count=3)"
    assert repr(pkg.Vehicle()) == "Vehicle()"
    kept = pkg.Vehicle.from_dict({"colour": "red"})
    assert repr(kept) == "Vehicle(additional_data={'colour': 'red'})"
    loop = pkg.Depot(display_name="Yard")
    loop.vehicles = [pkg.Vehicle(home_depot=loop)]
    assert repr(loop) == "Depot(display_name='Yard', vehicles=[Vehicle(home_depot=...)])"


# --- hostile payloads raise ValidationError only (issue 14.4) ---


def _nested(levels: int) -> dict[str, Any]:
    """A vehicle whose home depot holds a vehicle whose home depot ... `levels` deep."""
    data: dict[str, Any] = {"make": "bottom"}
    for _ in range(levels):
        data = {"homeDepot": {"vehicles": [data]}}
    return data


@pytest.mark.parametrize(
    ("cls", "payload", "path"),
    [
        ("ServiceWindow", {"from": "2021-07-01T08:30:00+24:00"}, "from_"),
        ("ServiceWindow", {"from": "2021-07-01T08:30:00-99:99"}, "from_"),
        ("ServiceWindow", {"expectedDuration": "P99999999999D"}, "expected_duration"),
        ("ServiceWindow", {"expectedDuration": "PT" + "9" * 400 + "S"}, "expected_duration"),
        ("Truck", {"axleCount": 10**100}, "axle_count"),
        ("Truck", {"axleCount": -(2**31) - 1}, "axle_count"),
        ("Fleet", {"vehicleCount": 2**31}, "vehicle_count"),
    ],
)
def test_hostile_values_raise_validation_error_or_are_kept(
    pkg: Any, cls: str, payload: dict[str, Any], path: str
) -> None:
    model = getattr(pkg, cls)
    with pytest.raises(pkg.ValidationError) as info:
        model.from_dict(payload, strict=True)
    assert info.value.path == path and info.value.cls == cls
    assert str(info.value)  # the message itself never raises (huge integers)
    kept = model.from_dict(payload)
    assert getattr(kept, path) is None and [p.path for p in kept.problems] == [path]
    assert kept.to_dict() == payload


def test_integers_outside_their_range_are_not_written(pkg: Any) -> None:
    assert pkg.Truck(axle_count=2**31 - 1).to_dict() == {"axleCount": 2**31 - 1}
    with pytest.raises(pkg.ValidationError, match=r"Truck\.axle_count: expected an integer from"):
        pkg.Truck(axle_count=10**100).to_dict()


def test_deep_nesting_is_limited_not_a_recursion_error(pkg: Any) -> None:
    payload = _nested(600)
    with pytest.raises(pkg.ValidationError, match="at most 100 levels"):
        pkg.Vehicle.from_dict(payload, strict=True)
    vehicle = pkg.Vehicle.from_dict(payload)  # kept as read below the limit
    assert vehicle.to_dict() == payload
    [problem] = vehicle.problems
    assert problem.expected == "at most 100 levels of nested objects"
    assert problem.path.startswith("home_depot.vehicles[0].home_depot.")
    assert pkg.Vehicle.from_dict(_nested(40), strict=True).to_dict() == _nested(40)


def test_object_cycles_in_to_dict_raise_validation_error(pkg: Any) -> None:
    depot = pkg.Depot(display_name="Yard")
    depot.vehicles = [pkg.Vehicle(home_depot=depot)]
    with pytest.raises(pkg.ValidationError, match="levels of nested objects"):
        depot.to_dict()
    with pytest.raises(pkg.ValidationError):
        depot.to_json()
    fleet = pkg.Fleet()
    fleet.additional_data = None  # type: ignore[assignment]
    with pytest.raises(pkg.ValidationError, match=r"Fleet\.additional_data"):
        fleet.to_dict()


def test_many_unknown_enum_values_do_not_grow_memory_for_good(pkg: Any) -> None:
    runtime = importlib.import_module("graph_models._runtime")
    for i in range(runtime._UNKNOWN_LIMIT + 10):
        assert pkg.VehicleClass(f"kind{i}").value == f"kind{i}"
    assert len(runtime._UNKNOWN) <= runtime._UNKNOWN_LIMIT


def test_modules_named_like_builtins_do_not_break_package_inits(tmp_path: Path) -> None:
    # Importing `pkg.sub.set` binds `set` in `pkg.sub`'s namespace, and type
    # checkers see `list` in `pkg` bound to the module `pkg.list` at once.
    model = Model(
        types=(
            typedef("list", "List", "list", properties=(prop("name", "Edm.String"),)),
            typedef(
                "set",
                "Set",
                "sub.set",
                namespace="microsoft.graph.sub",
                properties=(prop("size", "Edm.Int32"),),
            ),
        )
    )
    build(model, tmp_path)
    script = (
        "import pkg, pkg.list, pkg.sub, pkg.sub.set\n"
        "assert 'List' in dir(pkg) and 'Set' in dir(pkg.sub)\n"
        "assert pkg.List.from_dict({'name': 'x'}).name == 'x'\n"
        "assert pkg.sub.Set(size=1).to_dict() == {'size': 1}\n"
        "print('ok')\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert run.returncode == 0 and run.stdout == "ok\n", run.stderr
    mypy = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / ".mypy"),
            "-p",
            "pkg",
        ],
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert mypy.returncode == 0, mypy.stdout


# --- objects read from JSON hold only what the payload gave ---


def test_a_read_object_stores_only_the_given_fields_and_acts_as_a_full_one(pkg: Any) -> None:
    import pickle

    vehicle = pkg.Vehicle.from_dict({"purchaseDate": "2020-02-29", "tags": ["a"]})
    stored = set(vars(vehicle))
    assert {"purchase_date", "tags"} <= stored
    assert "additional_data" not in stored and "make" not in stored
    assert vehicle.make is None  # from the class
    built = pkg.Vehicle(purchase_date=datetime.date(2020, 2, 29), tags=["a"])
    assert vehicle == built
    assert vehicle.additional_data == {}
    vehicle.additional_data["x-note"] = 1  # made on first use, and kept
    assert vehicle.to_dict()["x-note"] == 1
    again = pickle.loads(pickle.dumps(vehicle))
    assert again == vehicle and again.to_dict() == vehicle.to_dict()
    other = dataclasses.replace(vehicle, make="Volvo")
    assert other.make == "Volvo" and other.additional_data == {"x-note": 1}
    assert other.tags == ["a"] and vehicle.make is None
    with pytest.raises(AttributeError, match="'Vehicle' object has no attribute 'nope'"):
        vehicle.nope  # noqa: B018
    fresh = pkg.Vehicle.from_dict({"make": "Saab"})
    assert pickle.loads(pickle.dumps(fresh)).to_dict() == {"make": "Saab"}
    assert fresh.to_patch() == {}
    fresh.make = "Volvo"
    assert fresh.to_patch() == {"make": "Volvo"}


def test_a_read_object_takes_no_more_memory_than_the_dict_json_makes(pkg: Any) -> None:
    import gc
    import tracemalloc

    payload = {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#fleets/$entity",
        "id": "f-1",
        "displayName": "North fleet",
        "description": "Trucks and vans of the northern depots",
        "vehicleCount": 12,
        "status": "active",
        "depots": [
            {"id": f"d{i}", "displayName": f"Depot {i}", "bayCount": i, "accessLevel": "open"}
            for i in range(3)
        ],
    }
    text = json.dumps(payload)
    assert pkg.Fleet.from_dict(json.loads(text)).to_dict() == payload  # plans built

    def bytes_each(make: Any) -> float:
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        kept = [make() for _ in range(200)]
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        assert len(kept) == 200
        return (after - before) / 200

    as_dict = bytes_each(lambda: json.loads(text))
    as_object = bytes_each(lambda: pkg.Fleet.from_dict(json.loads(text)))
    assert as_object <= as_dict, (as_object, as_dict)
