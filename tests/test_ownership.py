"""docgen removes or overwrites only what it wrote, and reads the package folder as hostile.

The manifest (`.docgen-manifest`) says which files docgen wrote; everything else
in the package folder is kept and reported, a folder docgen did not make is not
taken over without `--force`, and docs without types never empty a package.
`check` and `build` follow no link and open nothing but regular files there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from docgen.cli import main
from tests.cli_run import docgen
from tests.test_cli import ENTITY, ENUMS, WIDGET, write_pages
from tests.test_write import snapshot

PKG = "myapp"


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], cwd: Path, *argv: str
) -> tuple[int, str, str]:
    """`docgen ARGV` in-process in `cwd` (no pyproject.toml above it: see `work`)."""
    monkeypatch.chdir(cwd)
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A project folder with docs (entity, widget, enums) and a pyproject without [tool.docgen]."""
    root = tmp_path / "proj"
    write_pages(root / "docs", {"entity.md": ENTITY, "widget.md": WIDGET, "enums.md": ENUMS})
    (root / "pyproject.toml").write_text('[project]\nname = "p"\n', encoding="utf-8")
    return root


def test_a_folder_docgen_did_not_make_is_not_taken_over(
    work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = work / "src" / PKG / "important.py"
    mine.parent.mkdir(parents=True)
    mine.write_text("SECRET_SAUCE = 42\n", encoding="utf-8")
    before = snapshot(work / "src")

    code, _, err = run(monkeypatch, capsys, work, "build", "docs", "-o", "src", "--package", PKG)
    assert code == 1
    assert err == (
        "docgen: error: src/myapp: not made by docgen (it has no .docgen-manifest) and holds "
        "1 entry docgen did not write (src/myapp/important.py); nothing written; to build into "
        "it anyway, keeping those: `docgen build docs -o src --package myapp --force`\n"
    )
    assert snapshot(work / "src") == before

    argv = ("build", "docs", "-o", "src", "--package", PKG)
    code, _, err = run(monkeypatch, capsys, work, *argv, "--force")
    assert code == 0, err
    assert mine.read_text(encoding="utf-8") == "SECRET_SAUCE = 42\n"
    assert (work / "src" / PKG / "widget.py").is_file()
    lines = err.splitlines()
    assert lines[0] == "docgen: warning: kept src/myapp/important.py: docgen did not write it"
    assert ", 0 removed, 1 kept; " in lines[1]

    # From now on the folder is docgen's: no --force needed, the file is still kept.
    code, _, err = run(monkeypatch, capsys, work, *argv)
    assert code == 0, err
    assert err.splitlines()[0] == lines[0]
    assert ": 0 written, " in err and ", 0 removed, 1 kept; " in err
    assert mine.read_text(encoding="utf-8") == "SECRET_SAUCE = 42\n"

    # check still reports it, and says build will not remove it.
    code, out, err = run(monkeypatch, capsys, work, "check", "docs", "-o", "src", "--package", PKG)
    assert code == 1
    assert out == "extra: src/myapp/important.py\n"
    assert err == (
        "docgen: 1 entry in src/myapp not written by docgen (extra above): "
        "`docgen build` keeps them; move them out of the package folder\n"
    )


def test_a_hand_written_file_in_a_docgen_package_survives_build(
    work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ("build", "docs", "-o", "src", "--package", PKG)
    assert run(monkeypatch, capsys, work, *argv)[0] == 0
    mine = work / "src" / PKG / "important.py"
    mine.write_text("x = 1\n", encoding="utf-8")
    (work / "docs" / "widget.md").unlink()  # so the build really rewrites the tree

    code, _, err = run(monkeypatch, capsys, work, *argv)
    assert code == 0, err
    assert mine.read_text(encoding="utf-8") == "x = 1\n"
    assert not (work / "src" / PKG / "widget.py").exists()
    assert "docgen: warning: kept src/myapp/important.py: docgen did not write it\n" in err
    assert ", 1 removed, 1 kept; " in err


def test_a_stale_module_docgen_wrote_is_removed(
    work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ("build", "docs", "-o", "out", "--package", PKG)
    assert run(monkeypatch, capsys, work, *argv)[0] == 0
    assert (work / "out" / PKG / "widget.py").is_file()
    (work / "docs" / "widget.md").unlink()
    code, _, err = run(monkeypatch, capsys, work, *argv)
    assert code == 0, err
    assert not (work / "out" / PKG / "widget.py").exists()
    assert ", 1 removed; " in err and "kept" not in err
    manifest = (work / "out" / PKG / ".docgen-manifest").read_text(encoding="utf-8")
    assert "widget.py" not in manifest and "  entity.py\n" in manifest


@pytest.mark.parametrize("pages", [{}, {"README.md": "# About these docs\n"}], ids=["0", "readme"])
def test_docs_without_types_never_empty_a_package(
    work: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    pages: dict[str, str],
) -> None:
    assert run(monkeypatch, capsys, work, "build", "docs", "-o", "out")[0] == 0
    empty = write_pages(work / "empty", pages)
    empty.mkdir(exist_ok=True)
    before = snapshot(work / "out")
    times = {p: p.stat().st_mtime_ns for p in (work / "out").rglob("*")}

    code, _, err = run(monkeypatch, capsys, work, "build", "empty", "-o", "out")
    assert code == 1
    n = len(pages)
    assert err == (
        f"docgen: error: no types in the docs read ({n} page{'' if n == 1 else 's'}): building "
        "would empty out/graph_models; nothing written; if that is what you want: "
        "`docgen build empty -o out --force`\n"
    )
    assert snapshot(work / "out") == before
    assert {p: p.stat().st_mtime_ns for p in (work / "out").rglob("*")} == times

    code, _, err = run(monkeypatch, capsys, work, "build", "empty", "-o", "out", "--force")
    assert code == 0, err
    assert sorted(p.name for p in (work / "out" / "graph_models").iterdir()) == [
        ".docgen-manifest",
        "__init__.py",
        "_odata.py",
        "_registry.py",
        "_runtime.py",
        "py.typed",
    ]


@pytest.mark.parametrize("pages", [{}, {"README.md": "# About these docs\n"}], ids=["0", "readme"])
def test_lint_strict_fails_on_docs_without_types(
    work: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    pages: dict[str, str],
) -> None:
    empty = write_pages(work / "empty", pages)
    empty.mkdir(exist_ok=True)
    read = "1 page" if pages else "0 pages"
    line = f"empty:1:1: warning DG003 no resource types found in {read} read\n"
    code, out, err = run(monkeypatch, capsys, work, "lint", "--strict", "empty")
    assert (code, out, err) == (1, line, "docgen: 0 error(s), 1 warning(s)\n")
    code, out, _ = run(monkeypatch, capsys, work, "lint", "empty")
    assert (code, out) == (0, line)


def test_a_package_built_before_manifests_is_adopted(
    work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No manifest (an older docgen): the modules its `_registry.py` names are docgen's."""
    argv = ("build", "docs", "-o", "out", "--package", PKG)
    assert run(monkeypatch, capsys, work, *argv)[0] == 0
    package = work / "out" / PKG
    (package / ".docgen-manifest").unlink()
    (package / "notes.txt").write_text("mine\n", encoding="utf-8")
    (work / "docs" / "widget.md").unlink()

    code, _, err = run(monkeypatch, capsys, work, *argv)
    assert code == 0, err
    assert not (package / "widget.py").exists()  # named by the old _registry.py: removed
    assert (package / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert "docgen: warning: kept out/myapp/notes.txt: docgen did not write it\n" in err
    assert (package / ".docgen-manifest").is_file()


def test_a_file_docgen_did_not_write_is_not_overwritten_without_force(
    work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    widget_page = (work / "docs" / "widget.md").read_text(encoding="utf-8")
    (work / "docs" / "widget.md").unlink()
    argv = ("build", "docs", "-o", "out", "--package", PKG)
    assert run(monkeypatch, capsys, work, *argv)[0] == 0
    mine = work / "out" / PKG / "widget.py"
    mine.write_text("HAND = 1\n", encoding="utf-8")
    (work / "docs" / "widget.md").write_text(widget_page, encoding="utf-8")
    before = snapshot(work / "out")

    code, _, err = run(monkeypatch, capsys, work, *argv)
    assert code == 1
    assert err == (
        "docgen: error: out/myapp: docgen would overwrite 1 entry it did not write "
        "(out/myapp/widget.py); nothing written; to overwrite them: "
        "`docgen build docs -o out --package myapp --force`\n"
    )
    assert snapshot(work / "out") == before
    code, _, err = run(monkeypatch, capsys, work, *argv, "--force")
    assert code == 0, err
    assert "class Widget(" in mine.read_text(encoding="utf-8")


# --- the package folder as hostile input (subprocesses with a timeout: nothing may hang) ---


def _hostile(work: Path) -> tuple[Path, str]:
    """Build, then plant a link to a secret in place of a module, a FIFO, a forged
    .pyc, a linked folder and an empty folder. Returns the package and the secret."""
    assert docgen("build", "docs", "-o", "out", cwd=work, timeout=120).returncode == 0
    package = work / "out" / "graph_models"
    secret = "TOPSECRET-" + os.urandom(8).hex()
    vault = work / "vault"
    vault.mkdir()
    (vault / "secret.txt").write_text(secret + "\n", encoding="utf-8")
    (package / "widget.py").unlink()
    (package / "widget.py").symlink_to(vault / "secret.txt")
    os.mkfifo(package / "pipe.py")
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / f"entity.{sys.implementation.cache_tag}.pyc").write_bytes(
        b"\0" * 16 + secret.encode()
    )
    (package / "linked").symlink_to(vault, target_is_directory=True)
    (package / "empty").mkdir()
    return package, secret


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_check_names_each_hostile_entry_follows_nothing_and_does_not_hang(work: Path) -> None:
    package, secret = _hostile(work)
    try:
        run = docgen("check", "docs", "-o", "out", cwd=work, timeout=60)
    except subprocess.TimeoutExpired:  # pragma: no cover - the failure this test is for
        pytest.fail("check hung on the package folder")
    assert run.returncode == 1
    tag = sys.implementation.cache_tag
    assert run.stdout.splitlines() == [
        "changed: out/graph_models/widget.py (symbolic link: not followed)",
        f"extra: out/graph_models/__pycache__/entity.{tag}.pyc (compiled Python, runs on import)",
        "extra: out/graph_models/empty (empty folder)",
        "extra: out/graph_models/linked (symbolic link: not followed)",
        "extra: out/graph_models/pipe.py (pipe, socket or device: not opened)",
    ]
    assert secret not in run.stdout + run.stderr
    assert run.stderr.splitlines()[-2:] == [
        "docgen: generated code is out of date; run `docgen build docs -o out`",
        "docgen: 3 entries in out/graph_models not written by docgen (extra above): "
        "`docgen build` keeps them; move them out of the package folder",
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_build_replaces_what_it_owns_and_keeps_and_reports_the_rest(work: Path) -> None:
    package, secret = _hostile(work)
    try:
        run = docgen("build", "docs", "-o", "out", cwd=work, timeout=60)
    except subprocess.TimeoutExpired:  # pragma: no cover - the failure this test is for
        pytest.fail("build hung on the package folder")
    assert run.returncode == 0, run.stderr
    assert secret not in run.stdout + run.stderr
    assert run.stderr.splitlines()[:3] == [
        "docgen: warning: kept out/graph_models/empty (empty folder): docgen did not write it",
        "docgen: warning: kept out/graph_models/linked (symbolic link: not followed): "
        "docgen did not write it",
        "docgen: warning: kept out/graph_models/pipe.py (pipe, socket or device: not opened): "
        "docgen did not write it",
    ]
    widget = package / "widget.py"
    assert not widget.is_symlink() and "class Widget(" in widget.read_text(encoding="utf-8")
    assert not (package / "__pycache__").exists()  # the forged bytecode is gone
    assert (work / "vault" / "secret.txt").read_text(encoding="utf-8") == secret + "\n"
    assert (package / "linked").is_symlink() and (package / "empty").is_dir()
    assert (package / "pipe.py").is_fifo()


def test_pythons_own_bytecode_from_importing_the_package_is_not_drift(work: Path) -> None:
    """Importing the package (bytecode writing on) leaves `__pycache__`: check still passes."""
    assert docgen("build", "docs", "-o", "out", cwd=work, timeout=120).returncode == 0
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(work / "out")
    imported = subprocess.run(
        [sys.executable, "-c", "import graph_models.widget, graph_models.color"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert imported.returncode == 0, imported.stderr
    pycache = work / "out" / "graph_models" / "__pycache__"
    assert len(list(pycache.glob("*.pyc"))) >= 3  # __init__, widget, color, ...
    run = docgen("check", "docs", "-o", "out", cwd=work, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    # A build keeps them too (Python's own, for unchanged modules).
    build = docgen("build", "docs", "-o", "out", cwd=work, timeout=60)
    assert build.returncode == 0 and ": 0 written, " in build.stderr
    assert len(list(pycache.glob("*.pyc"))) >= 3
    shutil.rmtree(pycache)
