"""Stable Python names (issue 14.5): a wire name's Python name does not move when
another wire name that converts to the same name appears; where it must move,
`docgen diff` calls it breaking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docgen import names
from docgen.cli import main
from docgen.extract import extract
from docgen.model import TypeDef
from docgen.read import read_text
from docgen.resolve import resolve
from tests.buildcheck import build_and_import, imported, write_docs


def thing_page(rows: list[str], name: str = "thing") -> str:
    table = "".join(f"| {n} | String | The {n}. |\n" for n in rows)
    return (
        f"# {name} resource type\n\nNamespace: microsoft.graph\n\nA {name}.\n\n"
        f"## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n{table}"
    )


def thing(rows: list[str]) -> TypeDef:
    model = resolve([extract(read_text(thing_page(rows), "thing.md"))])
    return model.by_qualified()["microsoft.graph.thing"]


def py_names(rows: list[str]) -> dict[str, str]:
    return {p.name: p.py_name for p in thing(rows).properties}


def test_adding_a_snake_key_next_to_a_camel_key_leaves_the_camel_key_its_name() -> None:
    assert py_names(["fooBar"]) == {"fooBar": "foo_bar"}
    assert py_names(["fooBar", "foo_bar"]) == {"fooBar": "foo_bar", "foo_bar": "foo_bar_2"}


def test_names_do_not_depend_on_table_order() -> None:
    rows = ["foo_bar", "FooBar", "fooBar", "foo-bar"]
    expected = {"fooBar": "foo_bar", "FooBar": "foo_bar_2", "foo-bar": "foo_bar_3"}
    expected["foo_bar"] = "foo_bar_4"
    assert py_names(rows) == expected
    assert py_names(list(reversed(rows))) == expected


def test_a_field_clashing_with_an_inherited_one_takes_the_suffix() -> None:
    base = thing_page(["fooBar"], "base")
    child = thing_page(["foo_bar", "other"], "child").replace(
        "A child.", "A child.\n\nInherits from [base](base.md)."
    )
    model = resolve([extract(read_text(base, "base.md")), extract(read_text(child, "child.md"))])
    got = {p.name: p.py_name for p in model.by_qualified()["microsoft.graph.child"].properties}
    assert got == {"foo_bar": "foo_bar_2", "other": "other"}


def test_enum_members_follow_the_same_rule() -> None:
    rows = "".join(f"| {m} | The {m} value. |\n" for m in ["NOT_STARTED", "notStarted"])
    page = (
        "# state enum type\n\nNamespace: microsoft.graph\n\n"
        f"## Members\n\n| Member | Description |\n|:--|:--|\n{rows}"
    )
    model = resolve([extract(read_text(page, "state.md"))])
    members = {m.name: m.py_name for m in model.by_qualified()["microsoft.graph.state"].members}
    assert members == {"notStarted": "NOT_STARTED", "NOT_STARTED": "NOT_STARTED_2"}


def test_unique_with_many_clashes_counts_on_and_skips_taken_names() -> None:
    cands = [(f"{i:05d}", "x") for i in range(3000)] + [("zz", "X_3")]
    got = names.unique(cands, taken=["x_2"])
    assert got["00000"] == "x"
    assert got["00001"] == "x_3"  # x_2 is taken
    assert got["02999"] == "x_3001"
    assert got["zz"] == "X_3_2"  # `x_3` was given, case-insensitively
    assert len({v.lower() for v in got.values()}) == len(got)


def test_built_package_reads_each_wire_key_into_its_own_field(tmp_path: Path) -> None:
    docs = write_docs(tmp_path / "docs", {"thing.md": thing_page(["fooBar", "foo_bar"])})
    outcome = build_and_import(docs, tmp_path / "work")
    with imported(outcome) as module:
        cls = module("thing").Thing
        obj = cls.from_dict({"fooBar": "camel", "foo_bar": "snake"})
        assert (obj.foo_bar, obj.foo_bar_2) == ("camel", "snake")
        assert obj.to_dict() == {"fooBar": "camel", "foo_bar": "snake"}


def diff_json(
    tmp_path: Path, old: list[str], new: list[str], capsys: pytest.CaptureFixture[str]
) -> list[dict[str, object]]:
    a = write_docs(tmp_path / "old", {"thing.md": thing_page(old)})
    b = write_docs(tmp_path / "new", {"thing.md": thing_page(new)})
    code = main(["diff", str(a), str(b), "--format", "json", "--fail-on", "breaking"])
    changes: list[dict[str, object]] = json.loads(capsys.readouterr().out)["changes"]
    assert code == (1 if any(c["breaking"] for c in changes) else 0)
    return changes


def test_diff_adding_a_snake_key_next_to_a_camel_key_is_not_breaking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changes = diff_json(tmp_path, ["fooBar"], ["fooBar", "foo_bar"], capsys)
    assert [(c["change"], c["member"], c["breaking"]) for c in changes] == [
        ("property_added", "foo_bar", False)
    ]


def test_diff_reports_a_renamed_python_field_as_breaking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changes = diff_json(tmp_path, ["foo_bar"], ["foo_bar", "fooBar"], capsys)
    got = {(c["change"], c["member"], c["old"], c["new"], c["breaking"]) for c in changes}
    assert got == {
        ("python_name_changed", "foo_bar", "foo_bar", "foo_bar_2", True),
        ("property_added", "fooBar", None, "Edm.String", False),
    }
    line = (
        thing_page(["foo_bar", "fooBar"]).splitlines().index("| foo_bar | String | The foo_bar. |")
    )
    renamed = next(c for c in changes if c["change"] == "python_name_changed")
    assert (renamed["source"], renamed["line"]) == ("thing.md", line + 1)
