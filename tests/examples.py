"""Response examples of the Graph API pages, as payloads to round-trip.

A response example is an annotation comment with `"blockType": "response"`
and an `"@odata.type"`, followed by an http block: status line, headers, a
blank line, then the JSON body. With `"isCollection": true` the payloads are
the items of the body's `value`. Shared by tests/test_roundtrip.py and
bench/roundtrip.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen import lenient
from docgen.read import Code, Comment, read_text


@dataclass(frozen=True)
class Example:
    page: str  # file name of the API page
    line: int  # line of the http block
    type_name: str  # qualified, `Collection(...)` and `#` removed
    payloads: tuple[dict[str, Any], ...]  # empty when `problem` is set
    problem: str | None = None  # "not JSON: ..." / "no body" / "not an object"


def _type_name(raw: str) -> tuple[str, bool]:
    name = raw.strip().lstrip("#")
    if name.lower().startswith("collection(") and name.endswith(")"):  # also `collection(x)`
        return name[11:-1], True
    return name, False


def _body(http: str) -> str:
    """The text after the status line and headers (or the whole block if it has none)."""
    lines = http.split("\n")
    if lines and lines[0].strip().upper().startswith("HTTP"):
        for i, line in enumerate(lines):
            if not line.strip():
                return "\n".join(lines[i + 1 :])
        return ""
    return http


def page_examples(path: Path) -> Iterator[Example]:
    page = read_text(path.read_text(encoding="utf-8", errors="replace"), path.name)
    blocks = page.blocks
    for i, block in enumerate(blocks):
        if not isinstance(block, Comment) or "response" not in block.body:
            continue
        meta = lenient.loads(block.body.strip()).value
        if not isinstance(meta, dict):
            continue
        meta = {str(k).lower(): v for k, v in meta.items()}
        if meta.get("blocktype") != "response" or not isinstance(meta.get("@odata.type"), str):
            continue
        code = next((b for b in blocks[i + 1 : i + 3] if isinstance(b, Code)), None)
        if code is None:
            continue
        type_name, collection = _type_name(meta["@odata.type"])
        collection = collection or meta.get("iscollection") is True
        body = _body(code.content).strip()
        if not body:
            yield Example(path.name, code.line, type_name, (), "no body")
            continue
        parsed = lenient.loads(body)
        if parsed.error is not None:
            yield Example(path.name, code.line, type_name, (), f"not JSON: {parsed.error}")
            continue
        value = parsed.value
        if collection and isinstance(value, dict) and isinstance(value.get("value"), list):
            items = value["value"]
        else:
            items = [value]
        if not all(isinstance(x, dict) for x in items):
            yield Example(path.name, code.line, type_name, (), "not an object")
            continue
        yield Example(path.name, code.line, type_name, tuple(items))


def corpus_examples(api_dir: Path) -> list[Example]:
    out: list[Example] = []
    for path in sorted(api_dir.glob("*.md")):
        out.extend(page_examples(path))
    return out
