"""Python names for wire names: valid, unique, deterministic (DESIGN: generated package API)."""

from __future__ import annotations

import enum
import keyword
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen import edm, names


@pytest.mark.parametrize(
    ("wire", "snake"),
    [
        ("createdDateTime", "created_date_time"),
        ("driveItem", "drive_item"),
        ("id", "id"),
        ("IOSDevice", "ios_device"),
        ("webUrl", "web_url"),
        ("HTMLBody", "html_body"),
        ("windows10General", "windows10_general"),
        ("e-mail", "e_mail"),
        ("@odata.type", "odata_type"),
        ("file/localizations", "file_localizations"),
        ("café", "cafe"),
        ("3dModel", "n3d_model"),
    ],
)
def test_snake(wire: str, snake: str) -> None:
    assert names.snake(wire) == snake


@pytest.mark.parametrize("wire", ["", "---", "@", "日本語", "_"])
def test_snake_never_empty_or_invalid(wire: str) -> None:
    out = names.snake(wire)
    assert out and out.isidentifier()


@pytest.mark.parametrize(
    ("wire", "pascal"),
    [
        ("driveItem", "DriveItem"),
        ("asyncJobStatus", "AsyncJobStatus"),
        ("iOSDevice", "IOSDevice"),
        ("call_record", "CallRecord"),
        ("windows10General", "Windows10General"),
    ],
)
def test_pascal(wire: str, pascal: str) -> None:
    assert names.pascal(wire) == pascal


def test_pascal_digits_first_is_an_identifier() -> None:
    out = names.pascal("3dModel")
    assert out.isidentifier() and out[0].isupper()
    assert "3dModel".lower() in out.lower()


@pytest.mark.parametrize(
    ("wire", "upper"),
    [
        ("notStarted", "NOT_STARTED"),
        ("cancelPending", "CANCEL_PENDING"),
        ("unknownFutureValue", "UNKNOWN_FUTURE_VALUE"),
        ("name", "NAME"),
        ("value", "VALUE"),
        ("mro", "MRO"),
    ],
)
def test_upper_snake(wire: str, upper: str) -> None:
    assert names.upper_snake(wire) == upper


@pytest.mark.parametrize(
    "wire", ["_missing_", "__init__", "_sunder_", "__dunder__", "_", "_ignore_"]
)
def test_upper_snake_is_never_a_sunder_or_dunder_name(wire: str) -> None:
    out = names.upper_snake(wire)
    assert out.isidentifier()
    assert not out.startswith("_") and not out.endswith("_")


@pytest.mark.parametrize("wire", ["1080p", "4k", "720p", "3"])
def test_upper_snake_digits_first(wire: str) -> None:
    out = names.upper_snake(wire)
    assert out.isidentifier() and out == out.upper()
    assert wire.upper() in out


@pytest.mark.parametrize("wire", ["from", "class", "import", "lambda", "async", "global"])
def test_field_name_for_keywords_gets_a_trailing_underscore(wire: str) -> None:
    assert names.field_name(wire) == f"{wire}_"


@pytest.mark.parametrize("wire", ["None", "True", "False"])
def test_field_name_for_capitalised_keywords_is_valid(wire: str) -> None:
    out = names.field_name(wire)
    assert out.isidentifier() and not keyword.iskeyword(out)


def test_field_name_from_is_from_underscore() -> None:
    assert names.field_name("from") == "from_"
    assert names.field_name("class") == "class_"


@pytest.mark.parametrize(
    "wire", ["self", "to_dict", "from_dict", "additionalData", "fields", "str", "datetime"]
)
def test_field_name_avoids_names_the_model_uses(wire: str) -> None:
    assert names.field_name(wire) == names.snake(wire) + "_"


@pytest.mark.parametrize("wire", ["displayName", "size", "id", "type", "format", "values"])
def test_field_name_leaves_ordinary_names(wire: str) -> None:
    out = names.field_name(wire)
    assert out.isidentifier() and not keyword.iskeyword(out)
    assert out.rstrip("_") == names.snake(wire)


@pytest.mark.parametrize("wire", ["None", "class", "Enum", "Any", "True"])
def test_class_name_never_a_keyword_or_an_imported_name(wire: str) -> None:
    out = names.class_name(wire)
    assert out.isidentifier() and not keyword.iskeyword(out)
    assert out not in ("None", "True", "Enum", "Any")


@pytest.mark.parametrize("wire", ["con", "aux", "nul", "com1", "lpt9", "class", "import"])
def test_module_stem_avoids_reserved_file_names_and_keywords(wire: str) -> None:
    out = names.module_stem(wire)
    assert out.isidentifier() and not keyword.iskeyword(out)
    assert out.lower() != wire.lower()


def test_module_stem_for_ordinary_names() -> None:
    assert names.module_stem("driveItem") == "drive_item"


@pytest.mark.parametrize(
    ("namespace", "path"),
    [
        ("microsoft.graph", ()),
        ("microsoft.graph.callRecords", ("call_records",)),
        ("microsoft.graph.externalConnectors", ("external_connectors",)),
        ("microsoft.graph.a.bC", ("a", "b_c")),
    ],
)
def test_namespace_path(namespace: str, path: tuple[str, ...]) -> None:
    assert names.namespace_path(namespace) == path


def test_unique_suffixes_clashes_case_insensitively() -> None:
    got = names.unique([("k1", "Item"), ("k2", "item"), ("k3", "ITEM"), ("k4", "other")])
    assert got == {"k1": "Item", "k2": "item_2", "k3": "ITEM_3", "k4": "other"}


def test_unique_respects_taken_names() -> None:
    assert names.unique([("k", "call_records")], taken=["Call_Records"]) == {"k": "call_records_2"}


def test_unique_does_not_depend_on_input_order() -> None:
    cands = [(f"k{i:02d}", "name" if i % 2 else "Name") for i in range(20)]
    shuffled = cands[:]
    random.Random(7).shuffle(shuffled)
    assert names.unique(cands) == names.unique(shuffled)


def test_unique_suffix_does_not_collide_with_an_existing_name() -> None:
    got = names.unique([("a", "x"), ("b", "x"), ("c", "x_2")])
    assert len({v.lower() for v in got.values()}) == 3


@given(st.lists(st.text(max_size=12), max_size=12))
def test_enum_member_names_always_build_an_enum(wires: list[str]) -> None:
    wires = list(dict.fromkeys(wires))
    py = names.unique((f"{i:05d}", names.upper_snake(w)) for i, w in enumerate(wires))
    members = [(py[f"{i:05d}"], w) for i, w in enumerate(wires)]
    built = enum.Enum("E", members, type=str) if members else None
    if built is not None:
        assert [m.value for m in built] == wires


@given(st.text(max_size=30))
def test_field_and_class_names_are_always_valid(wire: str) -> None:
    for out in (names.field_name(wire), names.class_name(wire), names.module_stem(wire)):
        assert out.isidentifier() and not keyword.iskeyword(out)


# --- primitive spellings (edm) ---


@pytest.mark.parametrize(
    ("spelling", "edm_name"),
    [
        ("String", "Edm.String"),
        ("string", "Edm.String"),
        ("Edm.String", "Edm.String"),
        ("edm.string", "Edm.String"),
        ("GUID", "Edm.Guid"),
        ("Guid", "Edm.Guid"),
        ("DateTimeOffSet", "Edm.DateTimeOffset"),
        ("datetime", "Edm.DateTimeOffset"),
        ("Timestamp", "Edm.DateTimeOffset"),
        ("int", "Edm.Int32"),
        ("Int", "Edm.Int32"),
        ("Integer", "Edm.Int32"),
        ("bool", "Edm.Boolean"),
        ("Int64", "Edm.Int64"),
        ("Url", "Edm.String"),
        ("TimeOfDay", "Edm.TimeOfDay"),
        ("  Double ", "Edm.Double"),
    ],
)
def test_edm_primitive_spellings(spelling: str, edm_name: str) -> None:
    assert edm.primitive(spelling) == edm_name


@pytest.mark.parametrize("spelling", ["driveItem", "microsoft.graph.entity", "", "collection"])
def test_edm_non_primitives(spelling: str) -> None:
    assert edm.primitive(spelling) is None


def test_dunder_all_order_by_hand() -> None:
    # Constants, then classes, then the rest; digit runs compare as numbers.
    assert names.dunder_all_order(
        ["alpha", "Type10", "_private", "IOS", "Type9", "FooBar_2", "FooBar_10", "FooBar", "Zeta"]
    ) == ["IOS", "FooBar", "FooBar_2", "FooBar_10", "Type9", "Type10", "Zeta", "_private", "alpha"]


def _ruff_all(tmp_path: Path, exported: list[str]) -> subprocess.CompletedProcess[str]:
    module = tmp_path / "m.py"
    module.write_text("__all__ = [\n" + "".join(f"    {n!r},\n" for n in exported) + "]\n")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            "RUF022",
            str(module),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


CLASS_NAMES = st.lists(
    st.from_regex(r"[A-Z][A-Za-z0-9]{0,6}(_[0-9]{1,2})?", fullmatch=True)
    | st.from_regex(r"[A-Z]{2,4}[0-9]?", fullmatch=True)
    | st.from_regex(r"[a-z_][a-z0-9_]{0,4}", fullmatch=True),
    min_size=2,
    max_size=12,
    unique=True,
)


@settings(max_examples=15, deadline=None)
@given(CLASS_NAMES)
def test_dunder_all_order_is_what_ruff_wants(exported: list[str]) -> None:
    """Checked by ruff itself (RUF022, one of its default rules)."""
    with tempfile.TemporaryDirectory() as tmp:
        ordered = names.dunder_all_order(exported)
        assert sorted(ordered) == sorted(exported)
        run = _ruff_all(Path(tmp), ordered)
        assert run.returncode == 0, run.stdout
        if ordered != list(reversed(ordered)):  # the check can fail
            assert _ruff_all(Path(tmp), list(reversed(ordered))).returncode == 1
