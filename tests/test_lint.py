"""`docgen lint`: every diagnostic code at its `path:line:col`, `--strict`,
`--format json`, and `build` stopping on errors (README "Diagnostic codes").

Each case is a small set of pages with the exact diagnostics expected; line
numbers are counted in the page texts below.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from conftest import unreadable_page

from docgen.cli import main

ENTITY = """\
# entity resource type

<!-- {"blockType": "resource", "@odata.type": "microsoft.graph.entity", "keyProperty": "id"} -->

| Property | Type | Description |
|:--|:--|:--|
| id | String | Id. |
"""


def page(title: str, rows: str = "", extra: str = "") -> str:
    """A resource page: title on line 1, table header on line 3, rows from line 5."""
    table = "| Property | Type | Description |\n|:--|:--|:--|\n" + textwrap.dedent(rows)
    return f"# {title} resource type\n\n{table}{extra}"


# (pages, expected diagnostics as (path, line, col, severity, code, message part))
CASES: dict[str, tuple[dict[str, str | bytes], list[tuple[str, int, int, str, str, str]]]] = {
    "DG002 not UTF-8": (
        {"a.md": b"# a resource type\n\nbad \xff byte\n"},
        [("a.md", 3, 1, "warning", "DG002", "not valid UTF-8")],
    ),
    "DG101 trailing comma repaired": (
        {
            "a.md": '# a resource type\n\n<!-- {"blockType": "resource", '
            '"@odata.type": "microsoft.graph.a",} -->\n'
        },
        [("a.md", 3, 1, "warning", "DG101", "repaired: trailing comma")],
    ),
    "DG102 annotation not JSON": (
        {"a.md": '# a resource type\n\n<!-- {"blockType": "resource", oops} -->\n'},
        [("a.md", 3, 1, "warning", "DG102", "not valid JSON")],
    ),
    "DG103 annotation without type": (
        {"a.md": '# a resource type\n\n<!-- {"blockType": "resource"} -->\n'},
        [("a.md", 3, 1, "warning", "DG103", "no @odata.type")],
    ),
    "DG104 several resource annotations": (
        {
            "a.md": "# two\n\n"
            '<!-- {"blockType": "resource", "@odata.type": "microsoft.graph.one"} -->\n\n'
            '<!-- {"blockType": "resource", "@odata.type": "microsoft.graph.two"} -->\n'
        },
        [("a.md", 5, 1, "warning", "DG104", "2 resource annotations")],
    ),
    "DG105 enum and structured": (
        {
            "a.md": page("color", "| x | String | d |\n"),
            "b.md": "# color enum type\n\n## Members\n\n| Member |\n|:--|\n| red |\n",
        },
        [("b.md", 1, 1, "warning", "DG105", "both enum and structured")],
    ),
    "DG106 invalid type name": (
        {
            "a.md": '# a\n\n<!-- {"blockType": "resource", '
            '"@odata.type": "microsoft.graph.../x"} -->\n'
        },
        [("a.md", 3, 1, "warning", "DG106", "invalid type name 'microsoft.graph.../x'")],
    ),
    "DG106 invalid namespace": (
        {"a.md": "# a resource type\n\nNamespace: ../etc\n\n" + page("a").split("\n\n", 1)[1]},
        [("a.md", 3, 1, "warning", "DG106", "invalid namespace '../etc'")],
    ),
    "DG201 unreadable type cell": (
        {"a.md": page("a", "| x | ??? | d |\n")},
        [("a.md", 5, 1, "warning", "DG201", "cannot read the type of 'x'")],
    ),
    "DG202 duplicate property": (
        {"a.md": page("a", "| x | String | d |\n| x | Int32 | again |\n")},
        [("a.md", 6, 1, "warning", "DG202", "'x' is listed twice")],
    ),
    "DG203 unreadable property name": (
        {"a.md": page("a", "| ../x | String | d |\n")},
        [("a.md", 5, 1, "warning", "DG203", "cannot read a property name in '../x'")],
    ),
    "DG301 enum table without members": (
        {"a.md": "# a enum type\n\n## Members\n\n| Member | Description |\n|:--|:--|\n"},
        [
            ("a.md", 1, 1, "warning", "DG301", "lists no members"),
            ("a.md", 5, 1, "warning", "DG301", "enum table has no members"),
        ],
    ),
    "DG302 duplicate member": (
        {"a.md": "# a enum type\n\n## Members\n\n| Member |\n|:--|\n| red |\n| red |\n"},
        [("a.md", 8, 1, "warning", "DG302", "'red' is listed twice")],
    ),
    "DG303 members after unknownFutureValue (table)": (
        {
            "a.md": "# a enum type\n\n## Members\n\n| Member |\n|:--|\n| red |\n"
            "| unknownFutureValue |\n| green |\n| blue |\n"
        },
        [
            (
                "a.md",
                9,
                1,
                "warning",
                "DG303",
                "2 member(s) listed after unknownFutureValue: green, blue",
            )
        ],
    ),
    "DG303 members after unknownFutureValue (inline list)": (
        {
            "a.md": page(
                "a",
                "| s | String | Possible values are: `on`, `unknownFutureValue`, `off`. |\n",
            )
        },
        [("a.md", 5, 1, "warning", "DG303", "1 member(s) listed after unknownFutureValue: off")],
    ),
    "DG401 JSON block not JSON": (
        {
            "a.md": page(
                "a",
                "| x | String | d |\n",
                '\n<!-- {"blockType": "resource", "@odata.type": "microsoft.graph.a"} -->\n'
                "```json\n{ x: nope\n```\n",
            )
        },
        [("a.md", 8, 1, "warning", "DG401", "not valid JSON")],
    ),
    "DG402/DG403 table and JSON block disagree on names": (
        {
            "a.md": page(
                "a",
                "| inTable | String | d |\n| both | String | d |\n",
                '\n<!-- {"blockType": "resource", "@odata.type": "microsoft.graph.a"} -->\n'
                '```json\n{\n  "both": "String",\n  "inJson": "String"\n}\n```\n',
            )
        },
        [
            ("a.md", 5, 1, "warning", "DG403", "'inTable' is in the table but not in the JSON"),
            (
                "a.md",
                12,
                1,
                "warning",
                "DG402",
                "'inJson' is in the JSON representation but in no table",
            ),
        ],
    ),
    "DG404 table and JSON block disagree on types": (
        {
            "a.md": page(
                "a",
                "| n | Int32 | d |\n| flag | Boolean | d |\n| tags | String collection | d |\n"
                "| when | String | d |\n| date | Date | d |\n",
                '\n<!-- {"blockType": "resource", "@odata.type": "microsoft.graph.a"} -->\n'
                '```json\n{"n": "String (identifier)", "flag": 1, "tags": "String",'
                ' "when": "String (timestamp)", "date": "Boolean"}\n```\n',
            )
        },
        [
            # n: a "String" placeholder stands for many wire types, so it is not reported.
            ("a.md", 6, 1, "warning", "DG404", "'flag': different types"),
            ("a.md", 7, 1, "warning", "DG404", "'tags': collection differs"),
            ("a.md", 8, 1, "warning", "DG404", "'when': different types"),
            ("a.md", 9, 1, "warning", "DG404", "'date': different types"),
        ],
    ),
    "DG501 unknown type with a suggestion": (
        {"entity.md": ENTITY, "a.md": page("a", "| x | [entty](entty.md) | d |\n")},
        [("a.md", 5, 1, "warning", "DG501", "(did you mean microsoft.graph.entity?)")],
    ),
    "DG502 missing base with a suggestion": (
        {"entity.md": ENTITY, "a.md": page("a", extra="\nInherits from [entiti](entiti.md).\n")},
        [("a.md", 6, 1, "warning", "DG502", "(did you mean microsoft.graph.entity?)")],
    ),
    "DG504 inheritance cycle": (
        {
            "a.md": '# a\n\n<!-- {"blockType": "resource", "@odata.type": "microsoft.graph.a", '
            '"baseType": "microsoft.graph.b"} -->\n',
            "b.md": '# b\n\n<!-- {"blockType": "resource", "@odata.type": "microsoft.graph.b", '
            '"baseType": "microsoft.graph.a"} -->\n',
        },
        # Equal evidence (two annotations): the later page's claim gives way.
        [("b.md", 3, 1, "warning", "DG504", "inheritance cycle")],
    ),
    "DG505 base is the type itself": (
        {"a.md": page("a", extra="\nInherits from [a](a.md).\n")},
        [("a.md", 6, 1, "warning", "DG505", "names itself as its base type")],
    ),
}


def write(folder: Path, pages: dict[str, str | bytes]) -> Path:
    folder.mkdir()
    for name, text in pages.items():
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        (folder / name).write_bytes(data)
    return folder


def lint_json(
    folder: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, dict[str, object]]:
    capsys.readouterr()
    code = main(["lint", str(folder), "--format", "json", *extra])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("case", list(CASES))
def test_each_code_at_its_place(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages, expected = CASES[case]
    docs = write(tmp_path / "docs", pages)
    code, doc = lint_json(docs, capsys)
    got = doc["diagnostics"]
    assert isinstance(got, list)
    # DG003 (no types at all) comes last, exactly when the model has no types.
    main(["parse", str(docs), "--json"])
    no_types = not json.loads(capsys.readouterr().out)["types"]
    if no_types:
        assert got[-1] == {
            "path": str(docs),
            "line": 1,
            "col": 1,
            "severity": "warning",
            "code": "DG003",
            "message": f"no resource types found in {len(pages)} page"
            + ("s read" if len(pages) != 1 else " read"),
            "file": str(docs),
        }
        got = got[:-1]
    assert all(d["code"] != "DG003" for d in got)
    assert [(d["path"], d["line"], d["col"], d["severity"], d["code"]) for d in got] == [
        e[:5] for e in expected
    ], got
    for d, e in zip(got, expected, strict=True):
        assert e[5] in d["message"], (d, e)
    assert code == (1 if any(e[3] == "error" for e in expected) else 0)


def test_text_format_and_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = write(tmp_path / "docs", {"a.md": page("a", "| x | String | d |\n| x | String | d |\n")})
    assert main(["lint", str(docs)]) == 0
    captured = capsys.readouterr()
    assert captured.out == f"{docs}/a.md:6:1: warning DG202 property 'x' is listed twice\n"
    assert captured.err == "docgen: 0 error(s), 1 warning(s)\n"
    assert main(["lint", str(docs), "--strict"]) == 1
    code, doc = lint_json(docs, capsys, "--strict")
    assert code == 1
    assert {k: doc[k] for k in ("version", "failed", "errors", "warnings", "counts")} == {
        "version": 1,
        "failed": True,
        "errors": 0,
        "warnings": 1,
        "counts": {"DG202": 1},
    }


def test_json_of_clean_docs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = lint_json(write(tmp_path / "docs", {"entity.md": ENTITY}), capsys, "--strict")
    assert (code, doc["failed"], doc["diagnostics"], doc["counts"]) == (0, False, [], {})


def test_build_counts_warnings_and_stops_on_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = write(tmp_path / "docs", {"c.md": page("c", "| x | Nope | d |\n")})
    unreadable_page(docs / "a.md")
    out = tmp_path / "out"
    assert main(["build", str(docs), "-o", str(out)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{docs}/a.md:1:1: error DG001 cannot read page")
    assert err[1:] == ["1 error, 1 warning: nothing written"]
    assert not out.exists()


def test_corpus_lint_counts(corpus_v1_resources: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The 2021-07 v1.0 corpus: no errors; warnings of the kinds real pages have."""
    code, doc = lint_json(corpus_v1_resources, capsys)
    assert code == 0 and doc["errors"] == 0
    counts = doc["counts"]
    assert isinstance(counts, dict)
    # 13 annotations with trailing commas are among PARSING.md's 2021-07 counts (v1.0 and
    # beta); v1.0 has some of them. Duplicate rows exist (4 across both).
    assert 1 <= counts.get("DG101", 0) <= 13
    assert 1 <= counts.get("DG202", 0) <= 4
    # No page is so broken that its type is lost or its name unusable.
    for lost in ("DG102", "DG103", "DG106", "DG203", "DG504", "DG505"):
        assert lost not in counts, lost
