"""Format stage: run black in-process over every generated Python module.

Formatting is a pure function of the text (given black's version and mode), so
the same model always yields the same bytes, and a result can be cached by a
hash of the text: a warm build formats only modules whose text changed. The
pipeline spreads the work over its process pool (docgen/pipeline.py). A file
black rejects means a template emitted invalid Python.
"""

from __future__ import annotations

import keyword
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


# --- the skeleton: what black must see to decide a module ---------------------
#
# black's time grows with the lines it reads, and most lines of a model module
# are runs of alike statements in a class or `if` body: `name: T | None = None`
# with its attribute docstring, `MEMBER = "value"`, `from .x import Y`. black
# formats each logical line on its own, and the blank lines before a plain
# statement at depth 1 that follows another plain statement depend only on how
# many the text has (kept when 0 or 1). So a line of such a run that already
# has black's form, in the middle of its run, decides nothing: the module is a
# fixed point of black when the module without those lines (the skeleton) is.
# `skeleton` drops them; `format_one` returns the text unchanged when black
# leaves the skeleton unchanged, and runs black on the whole text otherwise,
# so the result is always exactly black's (tests/test_format.py compares them
# over corpus modules and docs-src).

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_DOTTED = rf"{_NAME}(?:\.{_NAME})*"
_STR = r'"[^"\\\n]*"'
_ANN = rf"{_DOTTED}(?:\[{_DOTTED}(?: \| {_DOTTED})*\])?(?: \| {_DOTTED})*"
# One physical line at depth 1 that black leaves as it is (when it fits and names
# no keyword): an annotated field set to None, an enum member set to a plain
# double-quoted string, an import of one name, or one item of a collection black
# writes one item a line (its last item has a trailing comma): a string, a
# string to a string or to a pair of strings.
_PLAIN = re.compile(
    rf"    (?:(?P<field>{_NAME}: {_ANN} = None)"
    rf'|(?P<member>{_NAME} = "[^"\\\n]*")'
    rf"|(?P<imp>(?:from (?:\.+(?:{_DOTTED})?|{_DOTTED}) )?import {_DOTTED}(?: as {_NAME})?)"
    rf"|(?P<element>{_STR}(?:: (?:{_STR}|\({_STR}, {_STR}\)))?,))"
)
_WORD = re.compile(_NAME)
# The strings and comments of a module, so that a line inside a string is never
# taken for a statement.
_STRINGS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*',
    re.S,
)
# Escapes black leaves alone (it lowercases hex digits and uppercases \N names).
_KEPT_ESCAPE = re.compile(r'\\(?:[\\"t]|x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})')


def _plain_kind(line: str) -> str:
    """ "field", "member", "imp" or "element" for a line black leaves alone, else ""."""
    if len(line) > LINE_LENGTH or not line.isascii() or not line.isprintable():
        return ""
    found = _PLAIN.fullmatch(line)
    if found is None:
        return ""
    words = line.split('"', 1)[0].split()
    if found["imp"]:  # the statement's own keywords are no names
        skip = {0, 2} if words[0] == "from" else {0}
        if words[-2] == "as":
            skip.add(len(words) - 2)
        words = [word for n, word in enumerate(words) if n not in skip]
    for word in _WORD.findall(" ".join(words)):
        if keyword.iskeyword(word) and not (word == "None" and found["field"]):
            return ""
    return found.lastgroup or ""


def _kept_literal(literal: str) -> bool:
    """A `\"\"\"` string black leaves alone where it is not a docstring."""
    if not literal.startswith('"""'):
        return False
    body = _KEPT_ESCAPE.sub("", literal)
    return "\\" not in body and all(line.isprintable() for line in body.split("\n"))


def skeleton(text: str) -> str | None:
    """`text` without the middle lines of its runs of plain statements (each with
    its attribute docstring and one blank line); None when nothing is dropped."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    inside = bytearray(len(lines))  # 1: the line continues a string begun above it
    literal_at: dict[int, tuple[int, int]] = {}  # line -> (start, end) of its first string
    line_no = 0
    for found in _STRINGS.finditer(text):
        while starts[line_no + 1] <= found.start():
            line_no += 1
        end_line = line_no
        while starts[end_line + 1] <= found.end() - 1:
            end_line += 1
            inside[end_line] = 1
        literal_at.setdefault(line_no, found.span())
    # units: (first line, line after the unit, kind)
    units: list[tuple[int, int, str]] = []
    i = 0
    while i < len(lines):
        kind = "" if inside[i] else _plain_kind(lines[i])
        if not kind:
            i += 1
            continue
        j = i + 1
        if kind == "element":  # black drops blank lines inside brackets: none here
            units.append((i, j, kind))
            i = j
            continue
        nxt = lines[j] if j < len(lines) else ""
        if j < len(lines) and not inside[j] and nxt.startswith('    """'):
            begin, end = literal_at.get(j, (-1, -1))
            k = j
            while k < len(lines) and starts[k + 1] - 1 < end:
                k += 1
            if begin != starts[j] + 4 or k >= len(lines) or starts[k + 1] - 1 != end:
                i += 1  # the literal does not end its line
                continue
            if not _kept_literal(text[starts[j] + 4 : end]):
                i += 1
                continue
            j = k + 1
        if j < len(lines) and lines[j] == "" and j + 1 < len(lines):
            j += 1
        units.append((i, j, kind))
        i = j
    drop = bytearray(len(lines))
    dropped = False
    for n in range(1, len(units) - 1):
        before, (first, after, kind), following = units[n - 1], units[n], units[n + 1]
        if before[1] == first and after == following[0] and before[2] == kind == following[2]:
            for m in range(first, after):
                drop[m] = 1
            dropped = True
    if not dropped:
        return None
    return "\n".join(line for line, gone in zip(lines, drop, strict=True) if not gone)


def format_one(item: tuple[str, str]) -> tuple[str, str]:
    """(path, text) -> (path, formatted); runs in a worker process too."""
    import black

    path, text = item
    text = trim_end(text)
    short = skeleton(text)
    try:
        if short is not None and black.format_str(short, mode=mode()) == short:
            return path, text
    except Exception:  # noqa: BLE001 - black on the whole text names the error
        pass
    try:
        return path, black.format_str(text, mode=mode())
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
