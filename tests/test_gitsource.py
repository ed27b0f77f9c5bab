"""`git:` sources read the named repository whatever git's environment says."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from docgen.gitsource import read_pages
from tests.test_diff import NEW_PAGES, git, page, repo, write_pages

__all__ = ["repo"]  # the fixture, shared with test_diff


@pytest.fixture
def decoy(tmp_path: Path) -> Path:
    """Another repository, with a `main` whose docs/ holds other pages."""
    other = tmp_path / "decoy"
    other.mkdir()
    git(other, "init", "-q", "-b", "main")
    write_pages(other / "docs", {"thing.md": page("thing", [("decoyProperty", "String")])})
    git(other, "add", "-A")
    git(other, "commit", "-qm", "decoy")
    return other


def test_git_environment_variables_do_not_redirect_git_sources(
    repo: Path, decoy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A git hook runs with GIT_DIR (and often GIT_INDEX_FILE, GIT_WORK_TREE) set to
    the repository being committed to; `git:REPO@...` must still read REPO."""
    hostile = {
        "GIT_DIR": str(decoy / ".git"),
        "GIT_WORK_TREE": str(decoy),
        "GIT_INDEX_FILE": str(decoy / ".git" / "index"),
        "GIT_OBJECT_DIRECTORY": str(decoy / ".git" / "objects"),
        "GIT_ALTERNATE_OBJECT_DIRECTORIES": str(decoy / ".git" / "objects"),
        "GIT_COMMON_DIR": str(decoy / ".git"),
        "GIT_NAMESPACE": "elsewhere",
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "core.abbrev",
        "GIT_CONFIG_VALUE_0": "not-a-number",
        "GIT_CONFIG_PARAMETERS": "'core.abbrev'='also-not-a-number'",
    }
    # The variables work: plain git, given GIT_DIR, reads the decoy instead of REPO.
    redirected = subprocess.run(
        ["git", "-C", str(repo), "show", "main:docs/thing.md"],
        env={**os.environ, "GIT_DIR": hostile["GIT_DIR"]},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "decoyProperty" in redirected

    for name, value in hostile.items():
        monkeypatch.setenv(name, value)
    pages = dict(read_pages(f"git:{repo}@main:docs"))
    assert sorted(pages) == sorted(NEW_PAGES)
    assert pages["thing.md"] == NEW_PAGES["thing.md"].encode()
    assert os.environ["GIT_DIR"] == hostile["GIT_DIR"]  # ours is left as it was
