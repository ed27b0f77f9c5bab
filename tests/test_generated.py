"""The golden record: `generated/` is what `docgen build docs-src/` writes.

- `generated/` equals a fresh build (run `docgen build` to refresh it);
- each generated module of the docs-src pages has a syrupy snapshot
  (`pytest --snapshot-update` refreshes them);
- the seed page yields the model its table describes;
- the whole v1.0 corpus builds into a package whose every module imports.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from docgen.format import format_sources
from docgen.pipeline import load_model
from docgen.render import render
from docgen.write import compare_tree

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs-src"
GENERATED = REPO / "generated"
PACKAGE = "graph_models"


@pytest.fixture(scope="module")
def docs_src_files() -> dict[str, str]:
    model = load_model([DOCS])
    assert not model.has_errors, [d.render() for d in model.diagnostics]
    return format_sources(render(model, PACKAGE))


def test_generated_folder_equals_a_fresh_build(docs_src_files: dict[str, str]) -> None:
    drift = compare_tree(docs_src_files, GENERATED, PACKAGE)
    assert drift.clean, f"generated/ is stale; run `docgen build`:\n{drift.diff}"


def test_docgen_check_passes_on_the_committed_tree() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "docgen", "check", "docs-src/"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_generated_modules_match_snapshots(
    docs_src_files: dict[str, str], snapshot: SnapshotAssertion
) -> None:
    for path in sorted(docs_src_files):
        assert docs_src_files[path] == snapshot(name=path)


def _run_python(code: str, path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(path), PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )


def test_seed_page_yields_async_job_status() -> None:
    # The seven values of the seed's `### status Meaning` table, in page order.
    seed_values = [
        "notStarted",
        "inProgress",
        "completed",
        "failed",
        "cancelled",
        "waiting",
        "cancelPending",
    ]
    code = (
        "import json\n"
        "from graph_models import AsyncJobStatus, AsyncJobStatusStatus\n"
        "print(json.dumps({'ann': AsyncJobStatus.__annotations__,"
        " 'members': [m.value for m in AsyncJobStatusStatus]}))\n"
    )
    run = _run_python(code, GENERATED)
    assert run.returncode == 0, run.stderr
    import json

    data = json.loads(run.stdout)
    assert data["ann"]["percentage_complete"] == "float | None"
    assert data["ann"]["status"] == "AsyncJobStatusStatus | str | None"
    assert data["members"] == seed_values


def test_docs_src_models_behave_as_designed() -> None:
    code = """
import dataclasses
from graph_models import Truck, Vehicle, ServiceWindow, VehicleClass, Entity
from graph_models.fleet_records import TripRecord
t = Truck(axle_count=3, make="Volvo", id="t1")
assert isinstance(t, Vehicle) and isinstance(t, Entity)
assert {f.name for f in dataclasses.fields(ServiceWindow)} >= {"from_", "notes"}
assert Truck().make is None
assert VehicleClass("compact") is VehicleClass.COMPACT
assert VehicleClass("hovercraft").value == "hovercraft"
try:
    Truck(3)
except TypeError:
    pass
else:
    raise AssertionError("fields must be keyword-only")
assert TripRecord.__module__ == "graph_models.fleet_records.trip_record"
print("ok")
"""
    run = _run_python(code, GENERATED)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "ok"


def test_v1_corpus_builds_and_every_module_imports(
    corpus_v1_resources: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "docgen", "build", str(corpus_v1_resources), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    modules = sorted((out / PACKAGE).rglob("*.py"))
    assert len(modules) > 1200
    code = """
import importlib, pkgutil, graph_models
names = [m.name for m in pkgutil.walk_packages(graph_models.__path__, "graph_models.")]
for name in names:
    importlib.import_module(name)
for name in graph_models.__all__:
    getattr(graph_models, name)
print(len(names))
"""
    imported = _run_python(code, out)
    assert imported.returncode == 0, imported.stderr[-2000:]
    # every module file (less the package's own __init__) was imported
    assert int(imported.stdout) == len(modules) - 1
    compiled = subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(out / PACKAGE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert compiled.returncode == 0, compiled.stdout[-2000:]
