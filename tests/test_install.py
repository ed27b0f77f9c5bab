"""docgen installed outside the virtual environment's prefix still builds: the
built-in templates travel as package data, not as files under `sys.prefix`.

Each test installs a copy of the source (so a stale `build/` in the checkout
cannot leak into the wheel) with pip, then builds `docs-src/` with the
installed `docgen` command. Dependencies come from this environment through
PYTHONPATH (`--no-deps`); pip fetches only the build backend.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(p.name for p in (REPO_ROOT / "templates").glob("*.j2"))
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "docgen", "templates")


def source_copy(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    for name in SOURCES:
        path = REPO_ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, src / name)
    return src


def pip_install(python: str, args: list[str], env: dict[str, str]) -> None:
    run = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def build_docs_src(docgen: Path, python: str, env: dict[str, str], tmp_path: Path) -> list[str]:
    """Run the installed command on a copy of docs-src/ and compare the package with
    generated/; returns the files of the docgen that ran: its render module and templates."""
    work = tmp_path / "project"
    shutil.copytree(REPO_ROOT / "docs-src", work / "docs-src")
    run = subprocess.run(
        [str(docgen), "build", "docs-src", "-o", "out", "--package", "graph_models", "--no-cache"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    golden = REPO_ROOT / "generated" / "graph_models"
    built = work / "out" / "graph_models"
    files = sorted(p.relative_to(golden) for p in golden.rglob("*") if p.is_file())
    assert sorted(p.relative_to(built) for p in built.rglob("*") if p.is_file()) == files
    for name in files:
        assert (built / name).read_bytes() == (golden / name).read_bytes(), name
    where = subprocess.run(
        [python, "-c", "import docgen.render as r; print(r.__file__); print(r.BUILTIN_TEMPLATES)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return where.stdout.split()


def deps_env(tmp_path: Path) -> dict[str, str]:
    """This environment's site-packages for the dependencies (not for docgen: an
    editable install there is a finder that a PYTHONPATH entry does not load)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCGEN_")}
    env["HOME"] = str(tmp_path / "home")
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["NO_COLOR"] = "1"
    return env


def test_pip_install_target_builds_docs_src(tmp_path: Path) -> None:
    target = tmp_path / "target"
    env = deps_env(tmp_path)
    pip_install(sys.executable, ["--target", str(target), str(source_copy(tmp_path))], env)
    shipped = target / "docgen" / "templates"
    assert sorted(p.name for p in shipped.glob("*.j2")) == TEMPLATES
    env["PYTHONPATH"] = os.pathsep.join([str(target), sysconfig.get_paths()["purelib"]])
    module, templates = build_docs_src(target / "bin" / "docgen", sys.executable, env, tmp_path)
    assert Path(module).is_relative_to(target)
    assert Path(templates) == shipped


def base_python() -> str:
    """An interpreter outside any virtual environment (pip refuses `--user` in one)."""
    return str(getattr(sys, "_base_executable", sys.executable))


def test_pip_install_user_builds_docs_src(tmp_path: Path) -> None:
    python = base_python()
    has_pip = subprocess.run([python, "-m", "pip", "--version"], capture_output=True, check=False)
    if has_pip.returncode != 0:
        pytest.skip(f"{python} has no pip")
    userbase = tmp_path / "userbase"
    env = deps_env(tmp_path)
    env["PYTHONUSERBASE"] = str(userbase)
    pip_install(python, ["--user", str(source_copy(tmp_path))], env)
    (site,) = userbase.glob("lib/python3*/site-packages")
    shipped = site / "docgen" / "templates"
    assert sorted(p.name for p in shipped.glob("*.j2")) == TEMPLATES
    # Dependencies after the user site: PYTHONPATH comes first, so it names only them.
    env["PYTHONPATH"] = sysconfig.get_paths()["purelib"]
    module, templates = build_docs_src(userbase / "bin" / "docgen", python, env, tmp_path)
    assert Path(module).is_relative_to(site)
    assert Path(templates) == shipped
