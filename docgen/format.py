"""Format stage: run black in-process over every generated Python module.

Formatting is a pure function of the text, so the same model always yields the
same bytes; a file black rejects means a template emitted invalid Python.
"""

from __future__ import annotations

from collections.abc import Callable

import black
from black.mode import Mode, TargetVersion

MODE = Mode(target_versions={TargetVersion.PY310}, line_length=88)


class FormatError(Exception):
    """black could not format a generated file (a template bug, not a docs problem)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: cannot format generated code: {message}")
        self.path = path
        self.message = message


def format_sources(
    files: dict[str, str], progress: Callable[[int], None] | None = None
) -> dict[str, str]:
    """Return `files` with every ``.py`` formatted by black; other files unchanged.

    `progress(n)` reports `n` more files done, for the command line's progress bar.
    """
    out: dict[str, str] = {}
    for path, text in files.items():
        if not path.endswith(".py"):
            out[path] = text
            continue
        try:
            out[path] = black.format_str(text, mode=MODE)
        except Exception as exc:  # black raises several types; all mean the same here
            raise FormatError(path, str(exc) or type(exc).__name__) from exc
        if progress is not None:
            progress(1)
    return out
