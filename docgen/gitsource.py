"""Doc trees read straight from a git repository: ``git:REPO@REF:PATH``.

CI compares the local docs with an upstream branch without checking it out:
``git ls-tree`` lists the pages at REF and one ``git cat-file --batch``
process streams their bytes. Nothing is written anywhere.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import PurePosixPath

from .discover import DiscoverError

PREFIX = "git:"


class GitSourceError(DiscoverError):
    """A ``git:`` source that names no readable tree (bad spec, repo, ref or path)."""


@dataclass(frozen=True)
class GitSpec:
    repo: str
    ref: str
    path: str  # POSIX, relative to the repository root; "" for the whole tree

    def __str__(self) -> str:
        return f"{PREFIX}{self.repo}@{self.ref}:{self.path}"


def is_git_spec(text: str) -> bool:
    return text.startswith(PREFIX)


def parse_spec(text: str) -> GitSpec:
    """Split ``git:REPO@REF:PATH``; REPO is a local repository, REF has no '@'."""
    if not is_git_spec(text):
        raise GitSourceError(f"{text}: not a git source (git:REPO@REF:PATH)")
    repo, at, rest = text[len(PREFIX) :].rpartition("@")
    ref, _, path = rest.partition(":")
    if not at or not repo or not ref:
        raise GitSourceError(f"{text}: expected git:REPO@REF:PATH (for example git:.@main:docs)")
    if ref.startswith("-"):
        raise GitSourceError(f"{text}: invalid ref {ref!r}")
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise GitSourceError(f"{text}: PATH must stay inside the repository")
    return GitSpec(repo, ref, "/".join(parts))


def git_env() -> dict[str, str]:
    """The environment for ``git``, without any ``GIT_*`` variable of ours.

    Git hooks and CI set GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE,
    GIT_OBJECT_DIRECTORY, GIT_CONFIG_* and the like (`git rev-parse
    --local-env-vars` lists the repository ones); any of them would point
    ``git -C REPO`` at another repository, object store or configuration, so
    REPO alone decides what is read.
    """
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("GIT_")}
    env.update(GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    return env


def _git(spec: GitSpec, *args: str, stdin: bytes | None = None) -> bytes:
    env = git_env()
    try:
        done = subprocess.run(
            ["git", "-C", spec.repo, "-c", "core.fsmonitor=false", *args],
            input=stdin,
            capture_output=True,
            env=env,
            check=False,
        )
    except FileNotFoundError:
        raise GitSourceError(f"{spec}: git is not installed") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = message[-1] if message else f"git exited with {done.returncode}"
        raise GitSourceError(f"{spec}: {detail}")
    return done.stdout


def _is_repo(spec: GitSpec) -> bool:
    try:
        _git(spec, "rev-parse", "--git-dir")
    except GitSourceError:
        return False
    return True


def read_pages(text: str) -> list[tuple[str, bytes]]:
    """The ``*.md`` pages under PATH at REF as (source, bytes), sorted by source.

    Sources are relative to PATH, like a folder's pages; pages in hidden
    folders are skipped, as `discover` skips them. Symlinks and submodules are
    not followed. PATH may also name one page.
    """
    spec = parse_spec(text)
    if not _is_repo(spec):
        raise GitSourceError(f"{spec}: {spec.repo} is not a git repository")
    try:
        commit = _git(spec, "rev-parse", "--verify", "--end-of-options", f"{spec.ref}^{{commit}}")
    except GitSourceError:
        raise GitSourceError(f"{spec}: unknown ref {spec.ref!r} in {spec.repo}") from None
    commit_id = commit.decode("ascii").strip()
    listing = _git(spec, "ls-tree", "-r", "-z", "--full-tree", commit_id, "--", spec.path or ".")
    wanted: list[tuple[str, str]] = []  # (source, blob id)
    root = PurePosixPath(spec.path) if spec.path else None
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        mode, kind, blob = meta.decode("ascii").split()
        path = PurePosixPath(os.fsdecode(raw_path))
        if kind != "blob" or mode == "120000" or path.suffix != ".md":
            continue
        if root is None:
            rel = path
        elif path == root:
            rel = PurePosixPath(path.name)
        elif root in path.parents:
            rel = path.relative_to(root)
        else:
            continue
        if any(part.startswith(".") for part in rel.parts):
            continue
        wanted.append((rel.as_posix(), blob))
    if not wanted:
        exists = _git(spec, "ls-tree", "--full-tree", commit_id, "--", spec.path or ".")
        what = "no *.md pages" if exists.strip() else "no such path"
        raise GitSourceError(f"{spec}: {what} at {spec.ref}")
    wanted.sort()
    return list(zip((s for s, _ in wanted), _cat_blobs(spec, [b for _, b in wanted]), strict=True))


def _cat_blobs(spec: GitSpec, blobs: list[str]) -> list[bytes]:
    """Contents of `blobs`, in order, from one ``git cat-file --batch``."""
    out = _git(spec, "cat-file", "--batch", stdin="".join(f"{b}\n" for b in blobs).encode())
    found: list[bytes] = []
    pos = 0
    for blob in blobs:
        end = out.index(b"\n", pos)
        header = out[pos:end].decode("ascii").split()
        if len(header) != 3 or header[0] != blob or header[1] != "blob":
            raise GitSourceError(f"{spec}: cannot read object {blob}")
        size = int(header[2])
        found.append(out[end + 1 : end + 1 + size])
        pos = end + 1 + size + 1  # content, then a newline
    return found
