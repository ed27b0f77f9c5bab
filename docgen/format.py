"""Format stage: run black in-process over every generated Python module.

Formatting is a pure function of the text (given black's version and mode), so
the same model always yields the same bytes, and a result can be cached by a
hash of the text: a warm build formats only modules whose text changed. Cache
misses are spread over a process pool. A file black rejects means a template
emitted invalid Python.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from .cache import Cache, digest, dist_version

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from black.mode import Mode

LINE_LENGTH = 88
TARGET = "PY310"
CACHE_KIND = "black"
# Fewer misses than this are formatted in-process: a pool would cost more than it saves.
MIN_PARALLEL = 16


class FormatError(Exception):
    """black could not format a generated file (a template bug, not a docs problem)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: cannot format generated code: {message}")
        self.path = path
        self.message = message

    def __reduce__(self) -> tuple[type[FormatError], tuple[str, str]]:
        return FormatError, (self.path, self.message)


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


def format_sources(
    files: dict[str, str],
    *,
    cache: Cache | None = None,
    pool: Callable[[], Executor | None] | None = None,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> dict[str, str]:
    """Return `files` with every ``.py`` formatted by black; other files unchanged.

    With a `cache`, results are looked up by content hash and misses stored.
    Misses go to the process pool that `pool()` gives when there are enough of
    them (`jobs` is its size).
    The result never depends on the cache or the pool, only on `files`.
    """
    from concurrent.futures.process import BrokenProcessPool

    out: dict[str, str] = {}
    todo: list[tuple[str, str]] = []
    keys: dict[str, str] = {}
    for path, text in files.items():
        if not path.endswith(".py"):
            out[path] = text
            continue
        if cache is not None:
            keys[path] = key = cache_key(text)
            hit = cache.get_text(CACHE_KIND, key)
            if hit is not None:
                out[path] = hit
                continue
        todo.append((path, text))
    if progress is not None:
        progress(sum(path.endswith(".py") for path in files) - len(todo))  # cache hits
    executor = pool() if pool is not None and jobs > 1 and len(todo) >= MIN_PARALLEL else None
    try:
        results = _collect(_run(todo, executor, jobs), progress)
    except BrokenProcessPool:  # a worker died (killed, out of memory): go on in-process
        results = _collect(_run(todo, None, 1), None)
    for path, formatted in results:
        out[path] = formatted
        if cache is not None:
            cache.put_text(CACHE_KIND, keys[path], formatted)
    return {path: out[path] for path in files}


def _collect(
    results: Iterator[tuple[str, str]], progress: Callable[[int], None] | None
) -> list[tuple[str, str]]:
    out = []
    for item in results:
        out.append(item)
        if progress is not None:
            progress(1)
    return out


def _run(
    todo: list[tuple[str, str]], executor: Executor | None, jobs: int
) -> Iterator[tuple[str, str]]:
    if executor is None:
        yield from map(format_one, todo)
        return
    # Largest first, in chunks small enough to keep every worker busy to the end.
    todo = sorted(todo, key=lambda item: -len(item[1]))
    chunk = max(1, len(todo) // (jobs * 8))
    yield from executor.map(format_one, todo, chunksize=chunk)
