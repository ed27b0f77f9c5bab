"""Every allowance docgen makes for irregular pages lives here.

Real Graph pages are hand-written: front matter that markdown would read as a
heading, non-breaking spaces inside headings, JSON with trailing commas or
comments. Keeping the repairs in one module keeps the rest of the pipeline
strict and makes each allowance visible (and testable) on its own.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

# Characters that real pages carry but that never mean anything to a parser.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2007\u2009\u3000"), " ")
_SMART = {ord("\u201c"): '"', ord("\u201d"): '"', ord("\u2018"): "'", ord("\u2019"): "'"}


def normalize_source(text: str) -> str:
    """Unify newlines and odd spaces, keeping every line where it was."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_INVISIBLE).translate(_SPACES)


def blank_front_matter(text: str) -> str:
    """Replace YAML front matter with blank lines.

    Markdown reads front matter as a setext heading; blanking it (rather
    than cutting it) keeps every later line number true.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return text
    for i in range(1, min(len(lines), 80)):
        if lines[i].strip() in ("---", "..."):
            return "\n" * i + "\n" + "\n".join(lines[i + 1 :])
    return text


def front_matter(text: str) -> dict[str, str]:
    """The front matter's simple `key: value` pairs (it is never trusted for types)."""
    lines = text.split("\n")
    out: dict[str, str] = {}
    if not lines or lines[0].strip() != "---":
        return out
    for line in lines[1:80]:
        if line.strip() in ("---", "..."):
            break
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith(" "):
            out[key.strip().lower()] = value.strip().strip("\"'")
    return out


def clean_cell(text: str) -> str:
    """Collapse the whitespace and decorations that surround names in cells."""
    text = text.replace("\t", " ").translate(_SMART)
    return " ".join(text.split())


@dataclass(frozen=True)
class LenientJson:
    value: Any
    repaired: tuple[str, ...] = ()  # what had to be fixed, for a warning
    error: str | None = None  # set when nothing could be recovered


# The repairs run on the text with every string masked (see `_mask`), so a
# pattern never looks inside one. Each runs in linear time on any input:
# possessive quantifiers (`*+`) never give back a run to retry.
_LINE_COMMENT = re.compile(r"//[^\n]*+")
_BLOCK_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.S)
_TRAILING_COMMA = re.compile(r",(\s*+[}\]])")
_ELLIPSIS = re.compile(r"(?<=[\[,{\s])\.\.\.++(?=\s*+[,\]}\n])|,\s*+\.\.\.++\s*+(?=[\]}])")
# A value (string, bracket, number, true/false/null) ending a line whose next
# line starts with a key: the comma between them is missing.
_MISSING_COMMA = re.compile(r'(["\]}0-9el])([^\S\n]*+\n\s*+)(?=")')
_CLOSED_STRING = re.compile(r'"(?:[^"\\]|\\.)*+"', re.S)


def _mask(text: str) -> tuple[str, list[str], re.Pattern[str]]:
    """`text` with each string replaced by a placeholder, the strings, and the
    placeholders' pattern.

    A string runs from a quote to the next unescaped quote, raw line breaks
    included, as `json` reads it (strict=False). Where no quote closes it, it
    is the rest of its line. One pass: once a string finds no closing quote,
    no later one can (each later quote is escaped in that scan, and the scan
    from it is aligned with it), so none is scanned for again.
    """
    unused = set(text)
    mark = next(chr(c) for c in range(0xE000, 0xF900) if chr(c) not in unused)
    strings: list[str] = []
    out: list[str] = []
    pos = 0
    unclosed_from = len(text) + 1
    while True:
        quote = text.find('"', pos)
        if quote < 0:
            out.append(text[pos:])
            break
        out.append(text[pos:quote])
        m = _CLOSED_STRING.match(text, quote) if quote < unclosed_from else None
        if m:  # the quotes stay, so patterns see where a string ends
            end = m.end()
            out.append(f'"{mark}{len(strings)}{mark}"')
            strings.append(text[quote + 1 : end - 1])
        else:
            unclosed_from = min(unclosed_from, quote)
            newline = text.find("\n", quote)
            end = len(text) if newline < 0 else newline
            out.append(f"{mark}{len(strings)}{mark}")
            strings.append(text[quote:end])
        pos = end
    placeholder = re.compile(f"{mark}(\\d+){mark}")
    return "".join(out), strings, placeholder


def _loads_pairs(text: str, dupes: list[str], strict: bool = True) -> Any:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in pairs:
            if k in out:
                dupes.append(k)
            out[k] = v
        return out

    return json.loads(text, object_pairs_hook=hook, strict=strict)


def loads(text: str) -> LenientJson:
    """Parse JSON as the docs write it: comments, trailing commas, `...`, smart quotes,
    raw tabs and line breaks inside strings."""
    try:
        return _loads(text)
    except RecursionError:
        # json recurses per nesting level; a page nesting thousands deep is junk.
        return LenientJson(None, (), "nested too deeply")


def _loads(text: str) -> LenientJson:
    dupes: list[str] = []
    try:
        value = _loads_pairs(text, dupes)
        return LenientJson(value, tuple(f"duplicate key {k!r}" for k in dupes))
    except ValueError:
        pass
    repaired: list[str] = []
    fixed = text.translate(_SMART)
    if fixed != text:
        repaired.append("smart quotes")
    masked, strings, placeholder = _mask(fixed)
    steps: list[tuple[str, re.Pattern[str], str]] = [
        ("comments", _BLOCK_COMMENT, ""),
        ("comments", _LINE_COMMENT, ""),
        ("ellipsis", _ELLIPSIS, ""),
        ("trailing comma", _TRAILING_COMMA, r"\1"),
        ("missing comma", _MISSING_COMMA, r"\1,\2"),
    ]
    for what, pattern, repl in steps:
        new = pattern.sub(repl, masked)
        if new != masked:
            masked = new
            fixed = placeholder.sub(lambda m: strings[int(m.group(1))], masked)
            if what not in repaired:
                repaired.append(what)
        try:
            dupes.clear()
            value = _loads_pairs(fixed, dupes)
            repaired.extend(f"duplicate key {k!r}" for k in dupes)
            return LenientJson(value, tuple(repaired))
        except ValueError:
            continue
    try:  # a tab or line break typed inside a string
        dupes.clear()
        value = _loads_pairs(fixed, dupes, strict=False)
        repaired.append("control characters in strings")
        repaired.extend(f"duplicate key {k!r}" for k in dupes)
        return LenientJson(value, tuple(repaired))
    except ValueError:
        pass
    try:
        json.loads(fixed)
    except ValueError as exc:
        return LenientJson(None, tuple(repaired), str(exc))
    return LenientJson(None, tuple(repaired), "unparseable")  # pragma: no cover


_COMMENT_BODY = re.compile(r"<!--(.*?)(?:-->|\Z)", re.S)


def comment_bodies(html: str) -> list[tuple[int, str]]:
    """The bodies of the HTML comments in a block, with their line offsets."""
    out = []
    line, counted = 0, 0
    for m in _COMMENT_BODY.finditer(html):  # lines counted once, not from the start each time
        line += html.count("\n", counted, m.start())
        counted = m.start()
        out.append((line, m.group(1)))
    return out


def json_object_span(body: str) -> str | None:
    """The outermost `{...}` in an annotation comment, braces balanced."""
    start = body.find("{")
    if start < 0:
        return None
    depth = 0
    in_str = False
    esc = False
    for i in range(start, len(body)):
        ch = body[i]
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return body[start : i + 1]
    end = body.rfind("}")
    return body[start : end + 1] if end > start else body[start:]


# Paragraphs pages put where a type's summary belongs: notes, includes, the
# Intune licence note, the beta disclaimer, placeholders, JSON boilerplate.
_NOT_SUMMARY = re.compile(
    r"^\W*(?:namespace\s*:|\[!|>|(?:note|important|caution|warning|tip)\s*:)"
    r"|requires\s+an\s+active\s+(?:intune\s+)?licen[cs]e"
    r"|\b(?:apis?|version|endpoint|feature|resource)s?\b.{0,60}?(?:preview|beta)\b"
    r".{0,80}?\bsubject\s+to\s+change"
    r"|^\W*(?:the\s+following\s+is\s+|here\s+is\s+)?an?\s+json\s+representation\b"
    r"|^\W*(?:not\s+yet\s+documented|tbd|todo)\W*$",
    re.I,
)


def summary_text(text: str) -> bool:
    """Whether a paragraph can be a type's summary: prose, not a note or boilerplate.

    Block quotes (`> **Note:**`) are recognised by read.py's `Paragraph.quoted`.
    """
    return bool(text.strip()) and _NOT_SUMMARY.search(text) is None
