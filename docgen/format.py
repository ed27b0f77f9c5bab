"""Format stage: run black in-process over every generated Python module.

Formatting is a pure function of the text (given black's version and mode), so
the same model always yields the same bytes, and a result can be cached by a
hash of the text: a warm build formats only modules whose text changed. The
pipeline spreads the work over its process pool (docgen/pipeline.py). A file
black rejects means a template emitted invalid Python.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from .cache import Cache, digest, dist_version

if TYPE_CHECKING:
    from black.mode import Mode

LINE_LENGTH = 88
TARGET = "PY310"
CACHE_KIND = "black"


class FormatError(Exception):
    """black could not format a generated file (a template bug, not a docs problem).

    `template` is the template's file name, when the pipeline knows which one
    rendered the file.
    """

    def __init__(self, path: str, message: str, template: str = "") -> None:
        super().__init__(f"{path}: cannot format generated code: {message}")
        self.path = path
        self.message = message
        self.template = template

    def __reduce__(self) -> tuple[type[FormatError], tuple[str, str, str]]:
        return FormatError, (self.path, self.message, self.template)

    def where(self) -> tuple[int, int, str]:
        """(line, column, the line's text) of the error in the rendered file; 0, 0, ""
        when black's message names none."""
        lines = self.message.splitlines()
        found = re.search(r"(\d+):(\d+)\s*$", lines[0]) if lines else None
        if found is None:
            return 0, 0, ""
        return int(found[1]), int(found[2]), lines[1].strip() if len(lines) > 1 else ""

    def one_line(self) -> str:
        """`PATH:LINE:COL: cannot parse `TEXT` (WHY)`: black's message on one line."""
        line, col, text = self.where()
        if not line or not text:
            return f"{self.path}: {' '.join(self.message.split())}"
        lines = self.message.splitlines()
        why = lines[-1].strip() if len(lines) > 2 else ""
        return f"{self.path}:{line}:{col}: cannot parse `{text}`" + (f" ({why})" if why else "")


@lru_cache(maxsize=1)
def mode() -> Mode:
    """black's mode; black is imported only when something must be formatted."""
    from black.mode import Mode, TargetVersion

    return Mode(target_versions={TargetVersion[TARGET]}, line_length=LINE_LENGTH)


@lru_cache(maxsize=1)
def cache_salt() -> str:
    """What besides the text decides black's output: its version and our mode."""
    return f"black {dist_version('black')} line_length={LINE_LENGTH} target={TARGET}"


def cache_key(text: str) -> str:
    return digest(cache_salt(), text)


def trim_end(text: str) -> str:
    """`text` without blank lines at its end, which black would remove anyway.

    black formats a file twice whenever its first pass changes anything, so
    input that differs from its output only by trailing blank lines (every
    enum module, with the current templates) costs two passes; trimmed, one.
    The result is the same bytes (checked over the whole v1.0 corpus's output,
    and in tests/test_format.py).
    """
    if text.endswith("\n\n") and text.strip():
        return text.rstrip("\n") + "\n"
    return text


def format_one(item: tuple[str, str]) -> tuple[str, str]:
    """(path, text) -> (path, formatted); runs in a worker process too."""
    import black

    path, text = item
    try:
        return path, black.format_str(trim_end(text), mode=mode())
    except Exception as exc:  # black raises several types; all mean the same here
        raise FormatError(path, str(exc) or type(exc).__name__) from exc


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def format_text(path: str, text: str, cache: Cache | None = None) -> tuple[str, bool]:
    """`text` formatted, and whether the cache had it (looked up by content hash,
    stored on a miss). The result never depends on the cache, only on `text`."""
    if cache is None:
        return format_one((path, text))[1], False
    key = cache_key(text)
    hit = cache.get_text(CACHE_KIND, key)
    if hit is not None:
        return hit, True
    formatted = format_one((path, text))[1]
    cache.put_text(CACHE_KIND, key, formatted)
    return formatted, False


def format_sources(files: dict[str, str], *, cache: Cache | None = None) -> dict[str, str]:
    """Return `files` with every ``.py`` formatted by black; other files unchanged.

    The serial reference: builds format module by module in the pipeline's
    workers (docgen/pipeline.py), through `format_text` as this does.
    """
    return {
        path: format_text(path, text, cache)[0] if path.endswith(".py") else text
        for path, text in files.items()
    }
