"""Hostile sizes and depths (issue 14.3): each has a documented limit with a diagnostic,
or is handled whatever its size; no RecursionError, no ENAMETOOLONG, no traceback.

Timing is bench/pathological.py's job; these tests check results and diagnostics.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from docgen import lenient, limits
from docgen.cli import main
from docgen.extract import extract, json_type_hint
from docgen.model import Model
from docgen.pipeline import load_model
from docgen.read import read_text
from docgen.resolve import resolve
from docgen.write import MANIFEST, _remove_tree

Nest = Callable[[Path, str, int], None]

TABLE_HEAD = "| Property | Type | Description |\n|:--|:--|:--|\n"


def resource(name: str, rows: str = "| a | String | The a. |\n", before: str = "") -> str:
    return f"# {name} resource type\n\n{before}A {name}.\n\n## Properties\n\n{TABLE_HEAD}{rows}"


def model(pages: dict[str, str]) -> Model:
    return resolve([extract(read_text(text, src)) for src, text in pages.items()])


def codes(m: Model) -> list[tuple[str, int, str]]:
    return [(d.path, d.line, d.code) for d in m.diagnostics]


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def nest(tmp_path: Path) -> Iterator[Nest]:
    """Make `depth` folders `name/name/...` below a folder (by changing into each: the
    whole path is longer than PATH_MAX), with a file `stray.py` at the bottom.

    Removed afterwards, whatever the test did: pytest's own clean-up of old
    temporary folders recurses and would fail on them in every later session."""

    def make(root: Path, name: str, depth: int) -> None:
        here = os.getcwd()
        root.mkdir(parents=True, exist_ok=True)
        os.chdir(root)
        try:
            for _ in range(depth):
                os.mkdir(name)
                os.chdir(name)
            Path("stray.py").write_text("x = 1\n")
        finally:
            os.chdir(here)

    yield make
    for child in tmp_path.iterdir():
        _remove_tree(child)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- the lenient JSON repair: same repairs, any input ---


def test_unterminated_escaped_quotes_give_an_error_not_a_hang() -> None:
    got = lenient.loads('{"a": "' + '\\"' * 5000)
    assert got.value is None
    assert got.error is not None and "Unterminated string" in got.error


def test_repairs_never_look_inside_strings() -> None:
    text = '{"u": "http://x/*y*/", // note\n "v": "a, }", /* c */ "w": [1, 2,],}'
    got = lenient.loads(text)
    assert got.value == {"u": "http://x/*y*/", "v": "a, }", "w": [1, 2]}
    assert got.repaired == ("comments", "trailing comma")


def test_missing_comma_between_lines_is_repaired_after_any_value() -> None:
    text = '{\n "a": "x"\n "b": 2\n "c": [1]\n "d": true\n "e": {}\n "f": null\n}'
    got = lenient.loads(text)
    assert got.value == {"a": "x", "b": 2, "c": [1], "d": True, "e": {}, "f": None}
    assert got.repaired == ("missing comma",)


def test_an_unterminated_block_comment_runs_to_the_end() -> None:
    got = lenient.loads('{"a": 1} /* never closed')
    assert (got.value, got.repaired) == ({"a": 1}, ("comments",))


def test_a_string_without_closing_quote_protects_only_its_line() -> None:
    # The second line's trailing comma is still repaired.
    got = lenient.loads('{"a": "x\n, "b": [1,],}')
    assert got.value is None  # a line break in a string never closed: not JSON
    got = lenient.loads('{"a": "x",\n "b": [1,],}')
    assert got.value == {"a": "x", "b": [1]}


def test_comment_bodies_keep_their_line_offsets() -> None:
    html = "<!-- a -->\n\n<!-- b\n-->\n<!-- c -->"
    assert lenient.comment_bodies(html) == [(0, " a "), (2, " b\n"), (4, " c ")]


def test_a_page_of_unterminated_escaped_quotes_lints_with_its_warning(tmp_path: Path) -> None:
    note = '<!-- {"blockType": "resource", "@odata.type": "microsoft.graph.q"} -->'
    block = '{"a": "' + '\\"' * 20_000
    page = resource("q") + f"\n## JSON representation\n\n{note}\n\n```json\n{block}\n```\n"
    (tmp_path / "q.md").write_text(page)
    m = load_model([tmp_path])
    assert [d.code for d in m.diagnostics] == ["DG401"]
    assert [t.name for t in m.types] == ["q"]


# --- "did you mean" ---


def test_did_you_mean_still_finds_the_close_name_among_many_alike() -> None:
    pages = {f"t{i}.md": resource(f"widgetItem{i}") for i in range(300)}
    pages["driveitem.md"] = resource("driveItem")
    pages["x.md"] = resource("x", "| a | drivItem | d |\n| b | widgetItm17 | d |\n")
    m = model(pages)
    messages = [d.message for d in m.diagnostics if d.code == "DG501"]
    assert len(messages) == 2
    assert "did you mean microsoft.graph.driveItem?" in messages[0]
    assert "did you mean microsoft.graph.widgetItem17?" in messages[1]


def test_a_very_long_unknown_name_gets_no_suggestion() -> None:
    m = model({"a.md": resource("abc"), "x.md": resource("x", f"| a | {'abc' * 100} | d |\n")})
    (d,) = [d for d in m.diagnostics if d.code == "DG501"]
    assert "did you mean" not in d.message


# --- sizes: properties, members ---


def test_properties_past_the_limit_are_left_out_with_a_warning_at_the_first() -> None:
    n = limits.MAX_PROPERTIES + 3
    rows = "".join(f"| p{i} | String | The p{i}. |\n" for i in range(n))
    page = resource("big", rows)
    m = model({"big.md": page})
    (big,) = m.types
    assert [p.name for p in big.properties] == [f"p{i}" for i in range(limits.MAX_PROPERTIES)]
    first_dropped = page.splitlines().index(f"| p{limits.MAX_PROPERTIES} | String | The p2000. |")
    (d,) = m.diagnostics
    assert (d.path, d.line, d.severity, d.code) == ("big.md", first_dropped + 1, "warning", "DG108")
    assert f"has {n} properties" in d.message and "the last 3" in d.message


def test_enum_members_past_the_limit_are_left_out_with_a_warning() -> None:
    n = limits.MAX_MEMBERS + 2
    rows = "".join(f"| m{i} | The m{i}. |\n" for i in range(n))
    page = f"# big enum type\n\n## Members\n\n| Member | Description |\n|:--|:--|\n{rows}"
    m = model({"big.md": page})
    (big,) = m.types
    assert len(big.members) == limits.MAX_MEMBERS
    assert big.members[-1].name == f"m{limits.MAX_MEMBERS - 1}"
    assert codes(m) == [("big.md", 1, "DG109")]


# --- depth: namespaces, names, inheritance, folders ---

DEEP_NS = ".".join(["microsoft", "graph"] + ["part"] * 998)  # 1,000 parts


def test_a_1000_part_namespace_is_warned_and_the_default_namespace_applies() -> None:
    page = resource("deep", before=f"Namespace: {DEEP_NS}\n\n")
    m = model({"deep.md": page})
    assert codes(m) == [("deep.md", 3, "DG107")]
    assert "has 1000 parts (limit 16)" in m.diagnostics[0].message
    assert [t.qualified for t in m.types] == ["microsoft.graph.deep"]


def test_a_too_deep_annotation_type_is_ignored_for_the_title() -> None:
    note = f'<!-- {{"blockType": "resource", "@odata.type": "{DEEP_NS}.deep"}} -->\n'
    page = resource("deep") + "\n" + note
    m = model({"deep.md": page})
    line = page.splitlines().index(note.strip()) + 1
    assert [(d.line, d.severity, d.code) for d in m.diagnostics] == [(line, "warning", "DG107")]
    assert [t.qualified for t in m.types] == ["microsoft.graph.deep"]


def test_a_type_name_too_long_for_a_file_name_is_ignored_with_a_warning() -> None:
    m = model({"long.md": resource("x" * 300)})
    assert codes(m) == [("long.md", 1, "DG107")]
    assert "part of 300 bytes (limit 200)" in m.diagnostics[0].message
    assert m.types == ()


def test_the_1000_part_namespace_builds_and_the_folder_stays_usable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    (docs / "deep.md").write_text(resource("deep", before=f"Namespace: {DEEP_NS}\n\n"))
    code, _, err = run(capsys, "build", str(docs), "-o", str(out))
    assert code == 0
    assert "1 warning" in err
    code, stdout, err = run(capsys, "lint", str(docs))
    assert "deep.md:3:1: warning DG107 namespace 'microsoft.graph.part." in stdout + err
    assert (out / "graph_models" / "deep.py").is_file()
    for command in ("build", "check"):
        assert run(capsys, command, str(docs), "-o", str(out))[0] == 0
    (docs / "deep.md").unlink()
    (docs / "other.md").write_text(resource("other"))
    assert run(capsys, "build", str(docs), "-o", str(out))[0] == 0
    assert run(capsys, "check", str(docs), "-o", str(out))[0] == 0


def test_a_deep_folder_already_in_the_package_is_reported_then_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], nest: Nest
) -> None:
    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    (docs / "thing.md").write_text(resource("thing"))
    assert run(capsys, "build", str(docs), "-o", str(out))[0] == 0
    nest(out / "graph_models", "nested", 1500)  # past PATH_MAX, past the recursion limit
    # As an older build of a 1,500-part namespace would have left it: docgen's own.
    deep = "nested/" * 1500 + "stray.py"
    digest = hashlib.sha256(b"x = 1\n").hexdigest()
    with (out / "graph_models" / MANIFEST).open("a", encoding="utf-8") as manifest:
        manifest.write(f"{digest}  {deep}\n")
    code, stdout, err = run(capsys, "check", str(docs), "-o", str(out))
    assert code == 1, err
    assert "graph_models/" + deep in stdout
    assert "Traceback" not in err and "RecursionError" not in err
    assert run(capsys, "build", str(docs), "-o", str(out))[0] == 0
    assert not (out / "graph_models" / "nested").exists()
    assert run(capsys, "check", str(docs), "-o", str(out))[0] == 0


def test_a_deep_staging_folder_left_by_a_killed_run_is_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], nest: Nest
) -> None:
    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    (docs / "thing.md").write_text(resource("thing"))
    nest(out / ".graph_models.staging-0123456789ab", "deep", 1500)
    assert run(capsys, "build", str(docs), "-o", str(out))[0] == 0
    assert sorted(p.name for p in out.iterdir()) == ["graph_models"]


def test_inheritance_deeper_than_the_limit_is_cut_with_a_warning() -> None:
    n = limits.MAX_INHERITANCE_DEPTH + 3
    pages = {
        f"t{i}.md": resource(f"t{i}", f"| p{i} | String | x |\n").replace(
            f"A t{i}.", f"A t{i}.\n\nInherits from [t{i - 1}](t{i - 1}.md)." if i else f"A t{i}."
        )
        for i in range(n)
    }
    m = model(pages)
    cut = f"t{limits.MAX_INHERITANCE_DEPTH + 1}"
    assert codes(m) == [(f"{cut}.md", 1, "DG110")]
    by_name = {t.name: t for t in m.types}
    assert by_name[cut].base is None
    assert by_name[f"t{limits.MAX_INHERITANCE_DEPTH}"].base == "microsoft.graph.t31"
    assert by_name[f"t{n - 1}"].base == f"microsoft.graph.{cut}"


def test_a_cycle_reached_through_a_chain_is_reported_once() -> None:
    def derived(name: str, base: str) -> str:
        return resource(name).replace(
            f"A {name}.", f"A {name}.\n\nInherits from [{base}]({base}.md)."
        )

    m = model({"x.md": derived("x", "b"), "b.md": derived("b", "c"), "c.md": derived("c", "b")})
    assert [code for _, _, code in codes(m)] == ["DG504"]  # once, not per type reaching it
    message = m.diagnostics[0].message
    assert "microsoft.graph.b -> microsoft.graph.c -> microsoft.graph.b" in message
    assert "b.md:5" in message and "c.md:5" in message  # every page in the cycle named
    bases = {t.name: t.base for t in m.types}
    assert bases["x"] == "microsoft.graph.b"  # the chain leading into the cycle is kept
    assert sorted([bases["b"], bases["c"]], key=str) == sorted(
        [None, "microsoft.graph.c" if bases["b"] else "microsoft.graph.b"], key=str
    )  # exactly one claim of the cycle dropped


@pytest.fixture
def deep_docs(tmp_path: Path, nest: Nest) -> Path:
    docs = tmp_path / "docs"
    nest(docs, "d", 1200)
    return docs


def test_a_docs_folder_nested_too_deep_is_a_usage_error_not_a_crash(
    deep_docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "lint", str(deep_docs))
    assert code == 2
    assert f"folders nested more than {limits.MAX_FOLDER_DEPTH} deep" in err
    assert "RecursionError" not in err and "internal error" not in err


def test_pages_a_few_folders_down_are_found_but_not_in_hidden_or_linked_folders(
    tmp_path: Path,
) -> None:
    docs = tmp_path / "docs"
    (docs / "a" / "b").mkdir(parents=True)
    (docs / ".hidden").mkdir()
    (docs / "a" / "b" / "thing.md").write_text(resource("thing"))
    (docs / ".hidden" / "secret.md").write_text(resource("secret"))
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "far.md").write_text(resource("far"))
    (docs / "link").symlink_to(tmp_path / "elsewhere")
    m = load_model([docs])
    assert [t.name for t in m.types] == ["thing"]


def test_a_json_placeholder_nested_thousands_deep_is_a_collection() -> None:
    value: object = "String"
    for _ in range(5000):  # deeper than any recursion limit
        value = [value]
    hint = json_type_hint(value)
    assert (hint.name, hint.collection) == ("String", True)
    assert hint.text == "[" * 5000 + "String" + "]" * 5000
