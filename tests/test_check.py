"""`docgen check`: drift between the docs and the generated package, found without writing."""

from __future__ import annotations

import os
import py_compile
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from docgen.cli import main
from tests.conftest import REPO_ROOT
from tests.test_write import snapshot

DOCS = REPO_ROOT / "docs-src"
PKG = "graph_models"


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def built(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / "out"
    code, _, err = run(capsys, "build", DOCS, "-o", out, "--package", PKG)
    assert code == 0, err
    return out


def check(capsys: pytest.CaptureFixture[str], out: Path, *extra: str) -> tuple[int, str, str]:
    return run(capsys, "check", DOCS, "-o", out, "--package", PKG, *extra)


def test_fresh_build_is_up_to_date(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = check(capsys, built)
    assert code == 0
    assert out == ""
    assert "is up to date" in err


def _hand_edit(out: Path) -> str:
    path = out / PKG / "depot.py"
    text = path.read_text(encoding="utf-8")
    assert "class Depot(" in text
    path.write_text(text.replace("class Depot(", "class DepotRenamed("), encoding="utf-8")
    return "changed"


def _delete(out: Path) -> str:
    (out / PKG / "depot_location.py").unlink()
    return "missing"


def _stray(out: Path) -> str:
    (out / PKG / "fleet_records" / "stray.py").write_text("x = 1\n", encoding="utf-8")
    return "extra"


@pytest.mark.parametrize(
    "tamper", [_hand_edit, _delete, _stray], ids=["edited", "deleted", "extra"]
)
def test_each_kind_of_drift_fails_alone(
    built: Path, capsys: pytest.CaptureFixture[str], tamper: Callable[[Path], str]
) -> None:
    label = tamper(built)
    before = snapshot(built)
    code, out, err = check(capsys, built)
    assert code == 1
    listed = [line for line in out.splitlines() if re.match(r"^(changed|missing|extra): ", line)]
    assert len(listed) == 1 and listed[0].startswith(f"{label}: ")
    if label == "extra":  # the user's file: build would keep it, so it is not "out of date"
        assert err == (
            f"docgen: 1 entry in {built / PKG} not written by docgen (extra above): "
            "`docgen build` keeps them; move them out of the package folder\n"
        )
    else:
        assert err == (
            f"docgen: generated code is out of date; run "
            f"`docgen build {DOCS} -o {built} --package {PKG}`\n"
        )
    assert snapshot(built) == before  # check writes nothing


def test_all_drift_is_listed_with_a_diff(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _hand_edit(built)
    _delete(built)
    _stray(built)
    code, out, _ = check(capsys, built)
    assert code == 1
    lines = out.splitlines()
    assert f"changed: {built / PKG / 'depot.py'}" in lines
    assert f"missing: {built / PKG / 'depot_location.py'}" in lines
    assert f"extra: {built / PKG / 'fleet_records' / 'stray.py'}" in lines
    assert f"--- a/{PKG}/depot.py" in lines and f"+++ b/{PKG}/depot.py" in lines
    assert any(line.startswith("-class DepotRenamed(") for line in lines)
    assert any(line.startswith("+class Depot(") for line in lines)


def test_pythons_own_bytecode_is_not_drift(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for module in ("depot.py", "__init__.py", "fleet_records/__init__.py"):
        py_compile.compile(str(built / PKG / module), doraise=True)
    assert check(capsys, built)[0] == 0


def test_other_bytecode_is_drift(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache = built / PKG / "__pycache__"
    cache.mkdir()
    pyc = cache / f"depot.{sys.implementation.cache_tag}.pyc"
    pyc.write_bytes(b"\0\1")
    code, out, _ = check(capsys, built)
    assert code == 1
    assert out == f"extra: {pyc} (compiled Python, runs on import)\n"


def test_diff_is_bounded_and_counts_what_was_cut(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in sorted((built / PKG).rglob("*.py")):
        path.write_text(path.read_text(encoding="utf-8").replace(" ", "  "), encoding="utf-8")
    _, full, _ = check(capsys, built, "--diff-lines", "100000")
    diff_lines = [line for line in full.splitlines() if not line.startswith("changed: ")]
    assert len(diff_lines) > 50 and "lines cut" not in full

    code, cut, _ = check(capsys, built, "--diff-lines", "20")
    assert code == 1
    shown = [line for line in cut.splitlines() if not line.startswith("changed: ")]
    assert shown[:20] == diff_lines[:20]
    assert shown[20:] == [f"... {len(diff_lines) - 20} more lines cut"]


def test_check_on_a_missing_output_lists_every_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = check(capsys, tmp_path / "never-built")
    assert code == 1
    missing = [line for line in out.splitlines() if line.startswith("missing: ")]
    generated = sorted(p for p in (REPO_ROOT / "generated" / PKG).rglob("*") if p.is_file())
    assert len(missing) == len([p for p in generated if "__pycache__" not in p.parts])
    assert not (tmp_path / "never-built").exists()


def test_build_rewrites_only_what_changed_and_keeps_users_files(
    tmp_path: Path, built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (built / "notes.txt").write_text("mine", encoding="utf-8")  # the user's, beside the package
    hour = 3600 * 10**9
    for path in (built / PKG).rglob("*.py"):
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - hour))
    before = {p: p.stat().st_mtime_ns for p in (built / PKG).rglob("*.py")}
    # Modules that mention depotLocation must change when its page goes; depot.py too.
    expected = sorted(
        {
            p.relative_to(built).as_posix()
            for p in before
            if "DepotLocation" in p.read_text(encoding="utf-8") and p.stem != "depot_location"
        }
        | {f"{PKG}/depot.py"}
    )
    assert len(expected) >= 3
    # .py, py.typed and the manifest (which the summary does not count)
    n_files = sum(1 for p in (built / PKG).rglob("*") if p.is_file())

    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    depot = docs / "depot.md"
    text = depot.read_text(encoding="utf-8")
    depot.write_text(text.replace("| bayCount      | Int32 ", "| bayCount      | Int64 "), "utf-8")
    (docs / "depotlocation.md").unlink()
    code, _, err = run(capsys, "build", docs, "-o", built, "--package", PKG)
    assert code == 0, err
    assert (
        f": {len(expected)} written, {n_files - len(expected) - 2} unchanged, 1 removed" in err
    ), err

    after = {p: p.stat().st_mtime_ns for p in (built / PKG).rglob("*.py")}
    assert not (built / PKG / "depot_location.py").exists()
    rewritten = sorted(p.relative_to(built).as_posix() for p in after if after[p] != before.get(p))
    assert rewritten == expected
    assert (built / "notes.txt").read_text(encoding="utf-8") == "mine"
