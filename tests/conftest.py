"""Shared fixtures: where `../shared` (corpus, oracle, scoring tool) lives.

`../shared` sits beside the repository (see ../shared/README.md). Tests that
need it skip with a clear reason on a machine without it, but fail in CI
(`CI=true`), where its absence means a broken setup rather than a choice.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = REPO_ROOT.parent / "shared"
CORPUS_SNAPSHOTS = ("graph-docs-2021-01", "graph-docs-2021-07")
V1_RESOURCES = ("api-reference", "v1.0", "resources")


def require_shared(path: Path, what: str) -> Path:
    """`path` if it exists; else skip (fail when CI is "true") naming what is missing."""
    if path.exists():
        return path
    message = (
        f"{what} not found at {path}: these tests need the shared folder "
        f"`../shared` beside the repository ({SHARED_DIR})"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session", autouse=True)
def private_user_dirs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The build cache's default folder and key file go to a temporary home, not the
    user's (~/.cache/docgen, ~/.config/docgen/cache-key), for every test."""
    home = tmp_path_factory.mktemp("user-home")
    names = ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "DOCGEN_CACHE_KEY", "DOCGEN_CACHE_DIR")
    saved = {name: os.environ.get(name) for name in names}
    os.environ["XDG_CACHE_HOME"] = str(home / "cache")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    os.environ.pop("DOCGEN_CACHE_KEY", None)
    os.environ.pop("DOCGEN_CACHE_DIR", None)
    yield home
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """`../shared`, relative to the repository root."""
    return require_shared(SHARED_DIR, "the shared folder")


@pytest.fixture(scope="session")
def corpus_v1_resources(shared_dir: Path) -> Path:
    """The 2021-07 snapshot's v1.0 resource pages (the one the oracle matches)."""
    return require_shared(
        shared_dir.joinpath("corpus", "graph-docs-2021-07", *V1_RESOURCES),
        "the 2021-07 v1.0 resources corpus",
    )


@pytest.fixture(scope="session", params=CORPUS_SNAPSHOTS)
def corpus_v1_resources_snapshot(request: pytest.FixtureRequest, shared_dir: Path) -> Path:
    """Each snapshot's v1.0 resource pages in turn (2021-01, then 2021-07)."""
    return require_shared(
        shared_dir.joinpath("corpus", request.param, *V1_RESOURCES),
        f"the {request.param} v1.0 resources corpus",
    )


@pytest.fixture(scope="session")
def corpus_beta_resources(shared_dir: Path) -> Path:
    """The 2020-05 snapshot's beta resource pages (no oracle: a tree docgen was not tuned on)."""
    return require_shared(
        shared_dir.joinpath("corpus", "graph-docs-2020-05", "api-reference", "beta", "resources"),
        "the 2020-05 beta resources corpus",
    )


@pytest.fixture(scope="session")
def oracle_file(shared_dir: Path) -> Path:
    """The service's CSDL type dump for the 2021-07 snapshot."""
    return require_shared(
        shared_dir / "oracle" / "graph-v1.0-2021-07-13.csdl-types.json", "the CSDL oracle"
    )


@pytest.fixture(scope="session")
def score_script(shared_dir: Path) -> Path:
    """`score_csdl.py`, which scores `docgen parse --json` against the oracle."""
    return require_shared(shared_dir / "tools" / "score_csdl.py", "the scoring tool")


@pytest.fixture(scope="session")
def seed_page(shared_dir: Path) -> Path:
    """The asyncJobStatus page the project started from."""
    return require_shared(shared_dir / "seeds" / "000_39b790cdb223a435.txt", "the seed page")


def unreadable_page(path: Path) -> Path:
    """A page that cannot be read, even by root: a link to /proc/self/mem, whose first
    bytes fail with EIO. An unreadable page is the error that stops a build (DG001):
    every inconsistency *in* the docs is a warning."""
    mem = Path("/proc/self/mem")
    if not mem.exists():
        pytest.skip("needs Linux's /proc/self/mem to make an unreadable page")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(mem)
    return path
