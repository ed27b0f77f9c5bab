"""A build killed with SIGKILL at any moment leaves the old tree or the new one, never a mix.

Two angles: real `docgen build` processes killed after random delays spanning a
whole build, and `write_tree` processes that kill themselves just before their
N-th filesystem operation, for every N, so each step of the write is hit.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from docgen import write
from tests.conftest import REPO_ROOT

PKG = "m"


MANIFEST = ".docgen-manifest"


def tree(root: Path) -> dict[str, bytes] | None:
    """Every file under `root` with its bytes (None when `root` is missing)."""
    if not root.exists():
        return None
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith(f".{PKG}."))


@pytest.fixture(scope="module")
def two_doc_trees(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """docs-src, and a later version: one page edited, one removed, one added."""
    base = tmp_path_factory.mktemp("docs")
    old, new = base / "old", base / "new"
    shutil.copytree(REPO_ROOT / "docs-src", old)
    shutil.copytree(REPO_ROOT / "docs-src", new)
    depot = new / "depot.md"
    depot.write_text(
        depot.read_text(encoding="utf-8").replace(
            "| bayCount      | Int32 ", "| bayCount      | Int64 "
        ),
        encoding="utf-8",
    )
    (new / "depotlocation.md").unlink()
    (new / "garage.md").write_text(
        "# garage resource type\n\nNamespace: microsoft.graph\n\nA garage.\n\n## Properties\n\n"
        "| Property | Type | Description |\n|:--|:--|:--|\n| spaces | Int32 | Spaces. |\n",
        encoding="utf-8",
    )
    return old, new


def docgen_build(docs: Path, out: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "docgen", "build", str(docs), "-o", str(out), "--package", PKG],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_build_killed_after_random_delays(tmp_path: Path, two_doc_trees: tuple[Path, Path]) -> None:
    old_docs, new_docs = two_doc_trees
    pristine = tmp_path / "pristine"
    assert docgen_build(old_docs, pristine).wait() == 0
    (pristine / "keep.txt").write_text("the user's file")
    old_tree = tree(pristine / PKG)

    # One unkilled run from the old tree: the new tree, and how long a build takes.
    out = tmp_path / "out"
    shutil.copytree(pristine, out)
    started = time.monotonic()
    assert docgen_build(new_docs, out).wait() == 0
    full = time.monotonic() - started
    new_tree = tree(out / PKG)
    assert old_tree and new_tree and old_tree != new_tree

    rng = random.Random(20261129)
    trials = 24
    outcomes = {"old": 0, "new": 0}
    for trial in range(trials):
        shutil.rmtree(out)
        shutil.copytree(pristine, out, copy_function=shutil.copy2)
        delay = rng.uniform(0, full * 1.1)  # spans start-up, parsing, formatting and writing
        proc = docgen_build(new_docs, out)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = tree(out / PKG)
        assert now in (old_tree, new_tree), f"trial {trial}: mixed tree after {delay:.3f}s"
        outcomes["old" if now == old_tree else "new"] += 1
        assert (out / "keep.txt").read_text() == "the user's file"
        write._recover(out, PKG)  # what the next build does first
        assert leftovers(out) == []
        assert tree(out / PKG) == now
    print(f"SIGKILL trials: {trials}, build {full:.2f}s, outcomes {outcomes}")
    # The next real build after a kill finishes the job.
    assert docgen_build(new_docs, out).wait() == 0
    assert tree(out / PKG) == new_tree and leftovers(out) == []


# Writes `new` over the tree in OUT, killing itself just before filesystem operation N.
STEP_RUNNER = """
import json, os, signal, sys
from pathlib import Path
from docgen import write

out, n, exchange = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
files = json.loads(Path(sys.argv[4]).read_text())
count = 0

def step(fn):
    def wrapped(*args, **kwargs):
        global count
        count += 1
        if count == n:
            os.kill(os.getpid(), signal.SIGKILL)
        return fn(*args, **kwargs)
    return wrapped

for name in ("mkdir", "link", "unlink", "rmdir", "rename", "open"):
    setattr(os, name, step(getattr(os, name)))
Path.write_bytes = step(Path.write_bytes)
write._exchange = step(write._exchange) if exchange else (lambda a, b: False)
write.write_tree(files, out, "m")
print(count)
"""


def _files(root: Path) -> dict[str, str]:
    found = tree(root)
    assert found is not None
    # The generated files; write_tree adds the manifest listing them itself.
    return {f"{PKG}/{k}": v.decode("utf-8") for k, v in found.items() if k != MANIFEST}


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_write_killed_before_every_filesystem_step(
    tmp_path: Path, two_doc_trees: tuple[Path, Path], exchange: bool
) -> None:
    old_docs, new_docs = two_doc_trees
    pristine, newer = tmp_path / "pristine", tmp_path / "newer"
    assert docgen_build(old_docs, pristine).wait() == 0
    assert docgen_build(new_docs, newer).wait() == 0
    old_tree, new_tree = tree(pristine / PKG), tree(newer / PKG)
    spec = tmp_path / "new.json"
    spec.write_text(json.dumps(_files(newer / PKG)))

    out = tmp_path / "out"
    seen = {"old": 0, "new": 0, "aside": 0}
    n = 0
    while True:
        n += 1
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(pristine, out, copy_function=shutil.copy2)
        run = subprocess.run(
            [sys.executable, "-c", STEP_RUNNER, str(out), str(n), str(int(exchange)), str(spec)],
            capture_output=True,
            text=True,
            check=False,
        )
        now = tree(out / PKG)
        if run.returncode == 0:  # fewer than n steps: the write completed
            assert now == new_tree
            assert leftovers(out) == []
            assert int(run.stdout) == n - 1
            break
        assert run.returncode == -signal.SIGKILL, run.stderr
        if now is None:
            # Only the fallback has this moment: the old tree moved aside, complete.
            assert not exchange, f"step {n}: no package folder"
            aside = [p for p in out.iterdir() if p.name.startswith(f".{PKG}.old-")]
            assert len(aside) == 1 and tree(aside[0]) == old_tree, f"step {n}"
            seen["aside"] += 1
        else:
            assert now in (old_tree, new_tree), f"step {n}: mixed tree"
            seen["old" if now == old_tree else "new"] += 1
        write._recover(out, PKG)
        assert tree(out / PKG) in (old_tree, new_tree), f"step {n}: recovery"
        assert leftovers(out) == []
    assert n > 20  # every staged file, the swap and the clean-up were each a kill point
    assert seen["old"] > 0 and seen["new"] > 0
    assert seen["aside"] == (0 if exchange else 1)
    print(f"step kills ({'exchange' if exchange else 'two renames'}): {n - 1} steps, {seen}")


WRITER = """
import json, sys
from pathlib import Path
from docgen import write
files = json.loads(Path(sys.argv[2]).read_text())
for _ in range(int(sys.argv[3])):
    write.write_tree(files, Path(sys.argv[1]), "m")
"""


def test_concurrent_writers_take_turns(tmp_path: Path) -> None:
    """Writers into one folder are serialized (a lock on it): none fails, the tree is whole.

    Without the lock, one writer's clean-up of leftovers deletes another's staging folder.
    """
    versions = []
    for v in range(2):
        files = {f"{PKG}/sub{i % 7}/f{i}.py": f"x = {i * (v + 1)}\n" for i in range(1500)}
        path = tmp_path / f"v{v}.json"
        path.write_text(json.dumps(files))
        versions.append((path, {k.removeprefix(f"{PKG}/"): v.encode() for k, v in files.items()}))
    out = tmp_path / "out"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(out), str(versions[i % 2][0]), "4"],
            stderr=subprocess.PIPE,
        )
        for i in range(4)
    ]
    errors = [p.communicate()[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
    final = tree(out / PKG)
    assert final is not None and MANIFEST in final
    assert {k: v for k, v in final.items() if k != MANIFEST} in (versions[0][1], versions[1][1])
    assert leftovers(out) == []
