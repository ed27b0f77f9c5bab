"""Find the pages to read: folders searched recursively for `*.md`, or files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
            for path in sorted(root.rglob("*.md")):
                if path.is_file() and not any(
                    part.startswith(".") for part in path.relative_to(root).parts
                ):
                    found.setdefault(
                        path.resolve(), Source(path, path.relative_to(root).as_posix())
                    )
        elif root.is_file():
            found.setdefault(root.resolve(), Source(root, root.name))
        else:
            raise DiscoverError(f"{root}: no such file or folder")
    return sorted(found.values(), key=lambda s: (s.source, str(s.path)))
