"""The `docgen` command line (DESIGN: "Command line (fixed)" and "`docgen parse --json` (fixed)").

Most tests run `python -m docgen` in a subprocess against a small project in
tmp_path; a few argument-handling cases call `docgen.cli.main` in-process to
keep the suite fast. Build/check output contents are tested elsewhere.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cli_run import docgen
from conftest import unreadable_page

from docgen import __version__
from docgen.cli import main

REPO_ROOT = Path(__file__).resolve().parent.parent

ENTITY = """\
# entity resource type

<!-- {"blockType": "resource", "@odata.type": "microsoft.graph.entity", "keyProperty": "id"} -->

## Properties

| Property | Type | Description |
|:--|:--|:--|
| id | String | The identifier. Read-only. |
"""

# Line numbers used below: title 1, properties rows 9-12, relationship row 18.
WIDGET = """\
# widget resource type

Inherits from [entity](../entity.md).

## Properties

| Property | Type | Description |
|:--|:--|:--|
| name | String | The name. Not nullable. |
| size | Int64 | The size. Read-only. Nullable. |
| color | [color](../enums.md#color-values) | The color. |
| tags | String collection | Tags. |

## Relationships

| Relationship | Type | Description |
|:--|:--|:--|
| parts | [widget](widget.md) collection | The parts. |
"""

ENUMS = """\
# Enum values

### color values

| Member | Description |
|:--|:--|
| red | Red. |
| green | Green. |
"""

# A page with one warning: an unknown type on line 5.
WARNED = """\
# gadget resource type

| Property | Type | Description |
|:--|:--|:--|
| thing | NoSuchType | d |
"""


DIAGNOSTIC_LINE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning) (?P<code>\S+) .+$"
)


def write_pages(folder: Path, pages: dict[str, str]) -> Path:
    for name, text in pages.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


class InProcess:
    """`docgen.cli.main` in a working directory, for argument-handling cases (fast)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
        self.monkeypatch = monkeypatch
        self.capsys = capsys

    def __call__(self, *args: str | Path, cwd: Path) -> tuple[int, str, str]:
        self.monkeypatch.chdir(cwd)
        self.capsys.readouterr()
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        captured = self.capsys.readouterr()
        return code, captured.out, captured.err


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> InProcess:
    return InProcess(monkeypatch, capsys)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with `[tool.docgen]` and a docs folder of three pages (one in a subfolder)."""
    root = tmp_path / "proj"
    write_pages(root / "docs", {"entity.md": ENTITY, "sub/widget.md": WIDGET, "enums.md": ENUMS})
    (root / "pyproject.toml").write_text(
        '[project]\nname = "demo"\n\n[tool.docgen]\ndocs = "docs"\noutput = "out"\n'
        'package = "demo_models"\n',
        encoding="utf-8",
    )
    return root


@pytest.fixture
def bare(tmp_path: Path) -> Path:
    """A folder whose pyproject.toml has no `[tool.docgen]` (stops the upward search)."""
    root = tmp_path / "bare"
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "bare"\n', encoding="utf-8")
    return root


# --- basics (subprocess: `python -m docgen` itself) ---


def test_version() -> None:
    run = docgen("--version", cwd=Path.cwd())
    assert run.returncode == 0
    assert run.stdout.strip() == f"docgen {__version__}"


def test_no_command_is_a_usage_error(cli: InProcess, bare: Path) -> None:
    code, _, err = cli(cwd=bare)
    assert code == 2
    assert "usage" in err.lower()


def test_no_docs_and_no_config_is_a_usage_error(cli: InProcess, bare: Path) -> None:
    code, out, err = cli("parse", "--json", cwd=bare)
    assert code == 2
    assert out == ""
    assert "docs" in err.lower()


def test_config_without_docs_key_is_a_usage_error(cli: InProcess, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.docgen]\noutput = "out"\n', encoding="utf-8")
    code, _, err = cli("lint", cwd=tmp_path)
    assert code == 2
    assert "docs" in err.lower()


# --- parse --json: the fixed contract ---


def test_parse_json_shape(project: Path, bare: Path) -> None:
    run = docgen("parse", project / "docs", "--json", cwd=bare)
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert set(data) == {"version", "types", "diagnostics"}
    assert data["version"] == 1
    assert data["diagnostics"] == []
    by = {f"{t['namespace']}.{t['name']}": t for t in data["types"]}
    assert sorted(by) == [
        "microsoft.graph.color",
        "microsoft.graph.entity",
        "microsoft.graph.widget",
    ]
    assert [f"{t['namespace']}.{t['name']}" for t in data["types"]] == sorted(by, key=str.lower)

    widget = by["microsoft.graph.widget"]
    assert {
        "name",
        "namespace",
        "kind",
        "base",
        "abstract",
        "open",
        "key",
        "description",
        "source",
        "line",
        "properties",
    } <= set(widget)
    assert widget["kind"] == "entity"  # its base has a key
    assert widget["base"] == "microsoft.graph.entity"
    assert widget["source"] == "sub/widget.md"  # relative to the folder given, POSIX
    assert widget["line"] == 1
    assert (widget["abstract"], widget["open"]) == (False, False)
    ps = {p["name"]: p for p in widget["properties"]}
    assert list(ps) == ["name", "size", "color", "tags", "parts"]
    for p in ps.values():
        assert {
            "name",
            "type",
            "collection",
            "navigation",
            "nullable",
            "read_only",
            "description",
        } <= set(p)
        assert "Collection" not in p["type"]
    assert (ps["name"]["type"], ps["name"]["nullable"], ps["name"]["read_only"]) == (
        "Edm.String",
        False,
        False,
    )
    assert (ps["size"]["type"], ps["size"]["nullable"], ps["size"]["read_only"]) == (
        "Edm.Int64",
        True,
        True,
    )
    assert ps["color"]["type"] == "microsoft.graph.color"
    assert ps["color"]["nullable"] is None
    assert (ps["tags"]["type"], ps["tags"]["collection"]) == ("Edm.String", True)
    assert (ps["parts"]["type"], ps["parts"]["collection"], ps["parts"]["navigation"]) == (
        "microsoft.graph.widget",
        True,
        True,
    )
    assert all(not p["navigation"] for n, p in ps.items() if n != "parts")

    entity = by["microsoft.graph.entity"]
    assert (entity["kind"], entity["key"], entity["base"], entity["source"]) == (
        "entity",
        ["id"],
        None,
        "entity.md",
    )
    assert [p["name"] for p in entity["properties"]] == ["id"]

    color = by["microsoft.graph.color"]
    assert {"name", "namespace", "kind", "flags", "source", "line", "members"} <= set(color)
    assert (color["kind"], color["flags"], color["source"], color["line"]) == (
        "enum",
        False,
        "enums.md",
        3,
    )
    assert color["members"] == [
        {"name": "red", "value": None, "description": "Red."},
        {"name": "green", "value": None, "description": "Green."},
    ]


def test_parse_json_diagnostics_and_single_file_source(
    cli: InProcess, tmp_path: Path, bare: Path
) -> None:
    page = write_pages(tmp_path / "docs", {"gadget.md": WARNED}) / "gadget.md"
    code, out, _ = cli("parse", page, "--json", cwd=bare)
    assert code == 0  # warnings do not fail parse
    data = json.loads(out)
    (t,) = data["types"]
    assert t["source"] == "gadget.md"
    (d,) = data["diagnostics"]
    assert set(d) == {"path", "line", "col", "severity", "code", "message"}
    assert (d["path"], d["line"], d["col"], d["severity"], d["code"]) == (
        "gadget.md",
        5,
        1,
        "warning",
        "DG501",
    )
    assert "NoSuchType" in d["message"]


def test_parse_with_errors_exits_1_and_still_prints_json(
    cli: InProcess, tmp_path: Path, bare: Path
) -> None:
    docs = write_pages(tmp_path / "docs", {"a.md": WARNED})
    unreadable_page(docs / "b.md")
    code, out, _ = cli("parse", docs, "--json", cwd=bare)
    assert code == 1
    data = json.loads(out)
    assert [t["name"] for t in data["types"]] == ["gadget"]
    assert any(d["severity"] == "error" and d["code"] == "DG001" for d in data["diagnostics"])


# --- lint ---


def test_lint_warnings_pass_unless_strict(cli: InProcess, tmp_path: Path, bare: Path) -> None:
    docs = write_pages(tmp_path / "docs", {"gadget.md": WARNED})
    run = docgen("lint", docs, cwd=bare)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == 1
    m = DIAGNOSTIC_LINE.match(lines[0])
    assert m is not None, lines[0]
    assert (m["path"], m["line"], m["col"], m["sev"], m["code"]) == (
        str(docs / "gadget.md"),  # DOCS was given as an absolute path
        "5",
        "1",
        "warning",
        "DG501",
    )
    code, out, _ = cli("lint", docs, "--strict", cwd=bare)
    assert code == 1
    assert out == run.stdout


def test_lint_clean_docs_pass_strict(cli: InProcess, project: Path, bare: Path) -> None:
    code, out, err = cli("lint", project / "docs", "--strict", cwd=bare)
    assert code == 0, out + err
    assert out == ""


def test_lint_errors_fail(cli: InProcess, tmp_path: Path, bare: Path) -> None:
    docs = write_pages(tmp_path / "docs", {"a.md": WARNED})
    unreadable_page(docs / "b.md")
    code, out, _ = cli("lint", docs, cwd=bare)
    assert code == 1
    found = [DIAGNOSTIC_LINE.match(line) for line in out.splitlines()]
    assert found and all(found)
    assert any(m is not None and m["sev"] == "error" and m["code"] == "DG001" for m in found)


# --- configuration from [tool.docgen] ---


def test_bare_parse_reads_config_from_the_working_directory(
    cli: InProcess, project: Path, bare: Path
) -> None:
    configured = docgen("parse", "--json", cwd=project)
    assert configured.returncode == 0, configured.stderr
    code, explicit, _ = cli("parse", project / "docs", "--json", cwd=bare)
    assert code == 0
    assert configured.stdout == explicit
    names = [t["name"] for t in json.loads(configured.stdout)["types"]]
    assert names == ["color", "entity", "widget"]


def test_config_is_found_from_a_subfolder(cli: InProcess, project: Path) -> None:
    code, out, err = cli("parse", "--json", cwd=project / "docs" / "sub")
    assert code == 0, err
    assert len(json.loads(out)["types"]) == 3


def test_unknown_config_key_fails_naming_it(project: Path) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8") + 'outptu = "typo"\n', encoding="utf-8"
    )
    run = docgen("parse", "--json", cwd=project)
    assert run.returncode == 2
    assert "outptu" in run.stderr
    assert "Traceback" not in run.stderr


def test_docs_argument_overrides_config(cli: InProcess, project: Path, tmp_path: Path) -> None:
    other = write_pages(tmp_path / "other", {"gadget.md": WARNED})
    code, out, _ = cli("parse", other, "--json", cwd=project)
    assert code == 0
    assert [t["name"] for t in json.loads(out)["types"]] == ["gadget"]


def test_config_docs_list_is_relative_to_the_pyproject(cli: InProcess, tmp_path: Path) -> None:
    root = tmp_path / "listproj"
    write_pages(root / "a", {"entity.md": ENTITY})
    write_pages(root / "b", {"gadget.md": WARNED})
    (root / "pyproject.toml").write_text('[tool.docgen]\ndocs = ["a", "b"]\n', encoding="utf-8")
    (root / "elsewhere").mkdir()
    code, out, _ = cli("parse", "--json", cwd=root / "elsewhere")
    assert code == 0
    assert [t["name"] for t in json.loads(out)["types"]] == ["entity", "gadget"]


def test_config_with_wrong_value_type_is_a_usage_error(cli: InProcess, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.docgen]\ndocs = 3\n", encoding="utf-8")
    code, _, err = cli("parse", "--json", cwd=tmp_path)
    assert code == 2
    assert "docs" in err and "pyproject.toml" in err


# --- usage errors ---


def test_missing_docs_path_is_a_usage_error(cli: InProcess, bare: Path) -> None:
    code, _, err = cli("parse", "no-such-folder", "--json", cwd=bare)
    assert code == 2
    assert "no-such-folder" in err


def test_parse_requires_json(cli: InProcess, project: Path) -> None:
    code, _, _ = cli("parse", "docs", cwd=project)
    assert code == 2


def test_unknown_command_is_a_usage_error(cli: InProcess, bare: Path) -> None:
    code, _, _ = cli("frobnicate", cwd=bare)
    assert code == 2


def test_invalid_package_name_is_a_usage_error(
    cli: InProcess, project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "never"
    code, _, err = cli("build", "-o", out, "--package", "not-a-name", cwd=project)
    assert code == 2
    assert "not-a-name" in err
    assert not out.exists()


# --- build and check ---


def test_build_then_check_then_drift(cli: InProcess, project: Path) -> None:
    build = docgen("build", cwd=project)  # docs, output and package from [tool.docgen]
    assert build.returncode == 0, build.stderr
    package = project / "out" / "demo_models"
    assert (package / "__init__.py").is_file()

    check = docgen("check", cwd=project)
    assert check.returncode == 0, check.stdout + check.stderr

    module = next(p for p in sorted(package.rglob("*.py")) if p.name != "__init__.py")
    module.write_text(module.read_text(encoding="utf-8") + "\n# edited by hand\n", encoding="utf-8")
    code, out, _ = cli("check", cwd=project)
    assert code == 1
    assert module.name in out
    assert "edited by hand" in out  # the unified diff shows the change

    module.unlink()
    code, out, _ = cli("check", cwd=project)
    assert code == 1
    assert module.name in out


def test_output_flag_overrides_config(cli: InProcess, project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    code, _, err = cli("build", "-o", elsewhere, "--package", "other_models", cwd=project)
    assert code == 0, err
    assert (elsewhere / "other_models" / "__init__.py").is_file()
    assert not (project / "out").exists()
    code, _, _ = cli("check", "-o", elsewhere, "--package", "other_models", cwd=project)
    assert code == 0


def test_build_with_errors_writes_nothing(cli: InProcess, tmp_path: Path, bare: Path) -> None:
    docs = write_pages(tmp_path / "docs", {"a.md": WARNED})
    unreadable_page(docs / "b.md")
    out = tmp_path / "out"
    code, _, err = cli("build", docs, "-o", out, cwd=bare)
    assert code == 1
    assert "b.md:1:1: error DG001 cannot read page" in err
    assert not out.exists()


def test_broken_user_template_names_template_and_line(tmp_path: Path) -> None:
    """A syntax error in a `--templates` override is one line naming file and line, exit 1."""
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "enum.py.j2").write_text("ok\n{% if %}\n", encoding="utf-8")
    out = tmp_path / "out"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "docgen",
            "build",
            str(REPO_ROOT / "docs-src"),
            "-o",
            str(out),
            "--templates",
            str(templates),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert f"{templates / 'enum.py.j2'}:2:" in run.stderr
    assert not out.exists()


# --- template overrides (--templates DIR) ---

HEADER = "# Generated by docgen from the Graph docs: do not edit by hand."


def read_tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_wrapper_override_extends_the_builtin_template(cli: InProcess, project: Path) -> None:
    """A one-line wrapper adds a header to every model module and changes nothing else."""
    plain_code, _, err = cli("build", "-o", "plain", cwd=project)
    assert plain_code == 0, err
    tpl = project / "tpl"
    tpl.mkdir()
    (tpl / "model.py.j2").write_text(
        f'{HEADER}\n{{% include "builtin/model.py.j2" %}}', encoding="utf-8"
    )
    code, _, err = cli("build", "-o", "wrapped", "--templates", tpl, cwd=project)
    assert code == 0, err
    plain, wrapped = read_tree(project / "plain"), read_tree(project / "wrapped")
    assert plain.keys() == wrapped.keys()
    models = {"demo_models/entity.py", "demo_models/widget.py"}  # the fixture's two entities
    assert models <= plain.keys(), sorted(plain)
    for path, text in wrapped.items():
        if path in models:
            assert text == f"{HEADER}\n{plain[path]}", path
        elif path == "demo_models/.docgen-manifest":  # lists each file's hash
            changed = set(text.splitlines()) ^ set(plain[path].splitlines())
            assert {line.split("  ")[1] for line in changed} == {"entity.py", "widget.py"}
        else:
            assert text == plain[path], path  # enums, __init__, runtime: untouched
    code, _, _ = cli("check", "-o", "wrapped", "--templates", tpl, cwd=project)
    assert code == 0
    code, out, _ = cli("check", "-o", "wrapped", cwd=project)  # without it: drift
    assert code == 1
    assert "edited" not in out and HEADER in out


def test_copied_and_edited_override_replaces_the_builtin(cli: InProcess, project: Path) -> None:
    """The README's recipe: copy a built-in template into DIR and edit the copy."""
    from docgen.render import BUILTIN_TEMPLATES

    tpl = project / "tpl"
    tpl.mkdir()
    builtin = (BUILTIN_TEMPLATES / "package_init.py.j2").read_text(encoding="utf-8")
    # After the template's own `{#- ... -#}` comment, whose `-` would eat the newline.
    end = builtin.find("-#}\n") if builtin.startswith("{#") else -1
    cut = end + 4 if end >= 0 else 0
    edited = f"{builtin[:cut]}{HEADER}\n{builtin[cut:]}"
    (tpl / "package_init.py.j2").write_text(edited, encoding="utf-8")
    code, _, err = cli("build", "-o", "out", "--templates", tpl, cwd=project)
    assert code == 0, err
    tree = read_tree(project / "out")
    inits = [p for p in tree if p.endswith("__init__.py")]
    assert inits
    assert all(tree[p].startswith(HEADER + "\n") for p in inits)
    assert not any(tree[p].startswith(HEADER) for p in tree if p not in inits)
