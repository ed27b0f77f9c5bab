"""Messages a user can act on: paths as given, settings named by their pyproject line,
one line per error (no traceback), the command to run next, names escaped."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from docgen import write
from docgen.cli import main
from tests.cli_run import docgen
from tests.conftest import REPO_ROOT
from tests.test_cli import ENTITY, ENUMS, WARNED, WIDGET, write_pages


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], cwd: Path, *argv: str
) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    capsys.readouterr()
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


PYPROJECT = '[project]\nname = "demo"\n\n[tool.docgen]\ndocs = "docs"\noutput = "out"\n'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    write_pages(root / "docs", {"entity.md": ENTITY, "sub/widget.md": WIDGET, "enums.md": ENUMS})
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    return root


# --- paths as the user gave them ---


def test_lint_names_pages_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(REPO_ROOT / "docs-src", tmp_path / "docs-src")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    expected = [
        "docs-src/depot.md:57:1: warning DG402 property 'phoneNumber' is in the JSON "
        "representation but in no table",
        "docs-src/depotlocation.md:31:1: warning DG101 annotation JSON repaired: trailing comma",
    ]
    code, out, _ = run(monkeypatch, capsys, tmp_path, "lint", "docs-src")
    assert (code, out.splitlines()) == (0, expected)
    # Given absolutely, absolute; a page given alone, as given.
    code, out, _ = run(monkeypatch, capsys, tmp_path, "lint", str(tmp_path / "docs-src"))
    assert out.splitlines()[0].startswith(f"{tmp_path}/docs-src/depot.md:57:1: warning DG402 ")
    code, out, _ = run(monkeypatch, capsys, tmp_path, "lint", "docs-src/depotlocation.md")
    assert out.splitlines() == [expected[1]]
    # The fixed JSON keeps pages relative to their docs folder; lint's JSON adds `file`.
    code, out, _ = run(monkeypatch, capsys, tmp_path, "parse", "docs-src", "--json")
    assert {d["path"] for d in json.loads(out)["diagnostics"]} == {"depot.md", "depotlocation.md"}
    code, out, _ = run(monkeypatch, capsys, tmp_path, "lint", "docs-src", "--format", "json")
    found = {(d["path"], d["file"]) for d in json.loads(out)["diagnostics"]}
    assert found == {
        ("depot.md", "docs-src/depot.md"),
        ("depotlocation.md", "docs-src/depotlocation.md"),
    }


def test_pages_from_the_config_are_named_relative_to_the_working_directory(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_pages(project / "docs", {"gadget.md": WARNED})
    code, out, _ = run(monkeypatch, capsys, project, "lint")
    assert out.startswith("docs/gadget.md:5:1: warning DG501 ")
    code, out, _ = run(monkeypatch, capsys, project / "docs" / "sub", "lint")
    assert out.startswith(f"{project}/docs/gadget.md:5:1: warning DG501 ")  # outside the cwd


def test_two_docs_folders_are_told_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_pages(tmp_path / "a", {"entity.md": ENTITY})
    write_pages(tmp_path / "b", {"gadget.md": WARNED})
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    code, out, _ = run(monkeypatch, capsys, tmp_path, "lint", "a", "b")
    assert out.startswith("b/gadget.md:5:1: warning DG501 unknown type 'NoSuchType'")


def test_diff_names_pages_as_given_in_text_and_markdown_but_not_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_pages(tmp_path / "old", {"entity.md": ENTITY, "enums.md": ENUMS})
    write_pages(tmp_path / "new", {"entity.md": ENTITY, "enums.md": ENUMS, "sub/widget.md": WIDGET})
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    _, text, _ = run(monkeypatch, capsys, tmp_path, "diff", "old", "new")
    assert "    type added  [new/sub/widget.md:1]" in text.splitlines()
    _, markdown, _ = run(
        monkeypatch, capsys, tmp_path, "diff", "old", "new", "--format", "markdown"
    )
    assert "`new/sub/widget.md:1`" in markdown
    _, out, _ = run(monkeypatch, capsys, tmp_path, "diff", "old", "new", "--format", "json")
    assert {c["source"] for c in json.loads(out)["changes"]} == {"sub/widget.md"}


# --- settings from [tool.docgen], named by key and line ---


@pytest.mark.parametrize(
    ("extra", "command", "message", "status"),
    [
        (
            'templates = "nope"\n',
            "build",
            'pyproject.toml:7: [tool.docgen] templates = "nope": no such folder',
            2,
        ),
        (
            'templates = "pyproject.toml"\n',
            "check",
            'pyproject.toml:7: [tool.docgen] templates = "pyproject.toml": is not a folder',
            2,
        ),
        (
            'package = "not-a-name"\n',
            "build",
            'pyproject.toml:7: [tool.docgen] package = "not-a-name": not a valid Python package '
            "name",
            2,
        ),
    ],
    ids=["templates-missing", "templates-file", "package"],
)
def test_config_values_are_named_by_key_and_line(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extra: str,
    command: str,
    message: str,
    status: int,
) -> None:
    (project / "pyproject.toml").write_text(PYPROJECT + extra, encoding="utf-8")
    assert run(monkeypatch, capsys, project, command) == (status, "", f"docgen: error: {message}\n")
    assert not (project / "out").exists()


def test_config_docs_that_do_not_exist_are_named_by_key_and_line(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = PYPROJECT.replace('docs = "docs"', 'docs = ["docs", "docz"]')
    (project / "pyproject.toml").write_text(text, encoding="utf-8")
    assert run(monkeypatch, capsys, project, "lint") == (
        2,
        "",
        'docgen: error: pyproject.toml:5: [tool.docgen] docs = ["docs", "docz"]: docz: '
        "no such file or folder\n",
    )


def test_occupied_output_is_named_as_such(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "out").write_text("", encoding="utf-8")
    assert run(monkeypatch, capsys, project, "build") == (
        1,
        "",
        'docgen: error: pyproject.toml:6: [tool.docgen] output = "out": out: a file where the '
        "output folder should be; nothing written\n",
    )
    (project / "out").unlink()
    (project / "out").mkdir()
    (project / "out" / "graph_models").write_text("", encoding="utf-8")
    assert run(monkeypatch, capsys, project, "build") == (
        1,
        "",
        'docgen: error: pyproject.toml:6: [tool.docgen] output = "out": out/graph_models: a file '
        "where the package folder should be; nothing written\n",
    )
    code, _, err = run(monkeypatch, capsys, project, "build", "-o", "out")  # given: no key
    assert (code, err) == (
        1,
        "docgen: error: out/graph_models: a file where the package folder should be; "
        "nothing written\n",
    )
    code, out, err = run(monkeypatch, capsys, project, "check", "-o", "out")
    assert (code, out, err) == (
        1,
        "",
        "docgen: error: out/graph_models: a file where the package folder should be\n",
    )


def test_read_only_output_is_named_as_such(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def denied(parent: Path, prefix: str) -> Path:
        raise PermissionError(errno.EACCES, "Permission denied", str(parent / f"{prefix}0"))

    monkeypatch.setattr(write, "_fresh_dir", denied)
    code, out, err = run(monkeypatch, capsys, project, "build", "-o", "ro")
    assert (code, out, err) == (
        1,
        "",
        "docgen: error: ro: output folder is read-only (Permission denied); nothing written\n",
    )
    assert [p.name for p in (project / "ro").iterdir()] == []


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="root writes to read-only folders"
)
def test_read_only_output_for_real(project: Path) -> None:  # pragma: no cover - not as root
    (project / "ro").mkdir()
    (project / "ro").chmod(0o555)
    try:
        run = docgen("build", "-o", "ro", cwd=project)
    finally:
        (project / "ro").chmod(0o755)
    assert run.returncode == 1
    assert run.stderr == (
        "docgen: error: ro: output folder is read-only (Permission denied); nothing written\n"
    )


# --- templates ---


def test_a_template_rendering_invalid_python_is_named_by_template_and_line(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tpl = project / "tpl"
    tpl.mkdir()
    (tpl / "model.py.j2").write_text(
        '{% include "builtin/model.py.j2" %}\nclass  Broken(:\n', encoding="utf-8"
    )
    code, out, err = run(monkeypatch, capsys, project, "build", "--templates", "tpl", "--no-cache")
    assert (code, out) == (1, "")
    assert err == (
        "docgen: error: template tpl/model.py.j2:2 renders invalid Python: "
        "graph_models/entity.py:18:14: cannot parse `class  Broken(:` (ParseError: bad input)\n"
    )
    assert not (project / "out").exists()


# --- what to run next ---


def test_check_suggests_the_build_with_the_options_given(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(monkeypatch, capsys, project, "check", "-o", "my out", "--package", "pkg")
    assert code == 1
    assert err == (
        "docgen: generated code is out of date; run `docgen build -o 'my out' --package pkg`\n"
    )
    code, _, err = run(monkeypatch, capsys, project, "check")  # all from [tool.docgen]
    assert err == "docgen: generated code is out of date; run `docgen build`\n"


# --- names that would forge lines or color the terminal ---


@pytest.mark.skipif(sys.platform == "win32", reason="such file names are POSIX-only")
def test_control_characters_in_file_names_are_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "new\nline.md").write_text(WARNED, encoding="utf-8")
    (docs / "\x1b[31mred.md").write_text(WARNED.replace("gadget", "gizmo"), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    tail = ":5:1: warning DG501 unknown type 'NoSuchType'; using Edm.String"
    code, out, _ = run(monkeypatch, capsys, tmp_path, "lint", "docs")
    assert out == f"docs/\\x1b[31mred.md{tail}\ndocs/new\\nline.md{tail}\n"

    code, _, err = run(monkeypatch, capsys, tmp_path, "build", "docs", "-o", "out", "-v")
    assert code == 0
    assert f"docs/\\x1b[31mred.md{tail}\n" in err and f"docs/new\\nline.md{tail}\n" in err
    assert "\x1b" not in err

    package = tmp_path / "out" / "graph_models"
    (package / "evil\nextra: x.py").write_text("", encoding="utf-8")
    (package / "\x1b]0;title\x07.py").write_text("", encoding="utf-8")
    code, out, err = run(monkeypatch, capsys, tmp_path, "check", "docs", "-o", "out")
    assert code == 1
    assert out.splitlines() == [
        "extra: out/graph_models/\\x1b]0;title\\x07.py",
        "extra: out/graph_models/evil\\nextra: x.py",
    ]
    code, _, err = run(monkeypatch, capsys, tmp_path, "build", "docs", "-o", "out")
    assert "docgen: warning: kept out/graph_models/evil\\nextra: x.py: " in err
    assert "\x1b" not in err and "\x07" not in err



def test_an_os_error_without_a_file_names_none(capsys: pytest.CaptureFixture[str]) -> None:
    """No empty `: ` where the error has no file (it printed `docgen: error: : Broken pipe`)."""
    from docgen.cli import _report

    assert _report(OSError(errno.EPIPE, "Broken pipe")) == 1
    assert capsys.readouterr().err == "docgen: error: Broken pipe\n"
    assert _report(FileNotFoundError(errno.ENOENT, "No such file", "x\ny.md")) == 1
    assert capsys.readouterr().err == "docgen: error: x\\ny.md: No such file\n"
