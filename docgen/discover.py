"""Find the pages to read: folders searched recursively for `*.md`, or files."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import limits


@dataclass(frozen=True)
class Source:
    path: Path  # where to read it
    source: str  # how diagnostics and the model name it: relative to the root given


class DiscoverError(Exception):
    """A DOCS argument that names nothing readable."""


def discover(roots: list[Path]) -> list[Source]:
    """Pages in a stable order; the same page named twice is read once."""
    found: dict[Path, Source] = {}
    for root in roots:
        if root.is_dir():
            for path in _pages_below(root):
                found.setdefault(path.resolve(), Source(path, path.relative_to(root).as_posix()))
        elif root.is_file():
            found.setdefault(root.resolve(), Source(root, root.name))
        else:
            raise DiscoverError(f"{root}: no such file or folder")
    return sorted(found.values(), key=lambda s: (s.source, str(s.path)))


def _pages_below(root: Path) -> list[Path]:
    """`*.md` files below `root`, outside hidden folders and not through linked folders.

    Iterative (pathlib's `rglob` recurses and dies on a deep tree); folders
    nested deeper than `limits.MAX_FOLDER_DEPTH` are refused with their path.
    """
    pages: list[Path] = []
    stack = [(root, 0)]
    while stack:
        folder, depth = stack.pop()
        if depth > limits.MAX_FOLDER_DEPTH:
            raise DiscoverError(
                f"{root}: folders nested more than {limits.MAX_FOLDER_DEPTH} deep "
                f"(limit), at {limits.shown(str(folder.relative_to(root)))}"
            )
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append((Path(entry.path), depth + 1))
                elif entry.name.endswith(".md") and entry.is_file():
                    pages.append(Path(entry.path))
    return sorted(pages)
