"""Fuzzing: pages built from PARSING.md's grammar, and mutated real corpus pages.

Property: docgen never raises; it either reports an error diagnostic or yields
a package whose every module compiles, formats, imports and instantiates, with
nothing written outside the output folder (see `buildcheck.py`).

The default run is bounded (a few seconds per test, for CI). A longer run
keeps drawing inputs until a time budget is spent:

    DOCGEN_FUZZ_SECONDS=600 python -m pytest tests/test_fuzz.py -s

and prints how many inputs it tried.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from buildcheck import build_and_import, write_docs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ_SECONDS = float(os.environ.get("DOCGEN_FUZZ_SECONDS", "0") or 0)
CI_EXAMPLES = int(os.environ.get("DOCGEN_FUZZ_EXAMPLES", "40"))

BOUNDED = settings(
    max_examples=CI_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)

# --- the grammar of PARSING.md ---

HOSTILE_NAMES = [
    "from",
    "class",
    "None",
    "True",
    "self",
    "id",
    "type",
    "format",
    "list",
    "set",
    "values",
    "items",
    "fields",
    "from_dict",
    "to_dict",
    "additional_data",
    "dataclasses",
    "typing",
    "annotations",
    "OpenEnum",
    "_runtime",
    "__init__",
    "name",
    "value",
    "mro",
    "_missing_",
    "_",
    "__",
    "1st",
    "2",
    "café",
    "名前",
    "@odata.type",
    "@microsoft.graph.conflictBehavior",
    "file/localizations",
    "../evil",
    "a/../../b",
    "con",
    "aux",
    "nul",
    "com1",
    "lpt1",
    "CON",
    "Widget",
    "widget",
    "WIDGET",
    "a-b",
    "a_b",
    "a.b",
    "unknownFutureValue",
    "UnknownFutureValue",
    "x" * 120,
    "",
]
PLAIN = st.from_regex(r"[a-z][a-zA-Z0-9]{0,10}", fullmatch=True)
NAMES = st.one_of(PLAIN, st.sampled_from(HOSTILE_NAMES))
TYPE_POOL = ["widget", "Widget", "gadget", "entity", "color", "con", "class", "café", "a"]
TYPE_NAMES = st.sampled_from(TYPE_POOL)
PRIMITIVES = [
    "String",
    "string",
    "Edm.String",
    "Boolean",
    "bool",
    "Int32",
    "int",
    "Integer",
    "Int64",
    "DateTimeOffset",
    "DateTimeOffSet",
    "dateTimeOffset",
    "Date",
    "Double",
    "Duration",
    "Binary",
    "Guid",
    "GUID",
    "Json",
    "JSON object",
    "Timestamp",
    "Url",
    "string (url)",
    "String (enum)",
    "Decimal",
    "TimeOfDay",
    "Stream",
    "Single",
    "Byte",
]
HOSTILE_TEXT = [
    '"""',
    "'''",
    "\\",
    "\\n",
    "{{ x }}",
    "{% if %}",
    "{# c #}",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\x7f",
    "\u2028",
    "\u200b",
    "\ufeff",
    "\ud800",
    "<!--",
    "-->",
    "|",
    "`",
    "**",
    "\t",
    "&#124;",
    "<br>",
    "<ul><li>a</li></ul>",
    "é",
    "\u202e",
    "${x}",
    "%s",
    "\r",
]
DESCRIPTIONS = st.lists(
    st.one_of(
        st.sampled_from(HOSTILE_TEXT),
        st.text(max_size=12),
        st.sampled_from(["Read-only.", "Nullable.", "Not nullable.", "Possible values are: "]),
        st.builds(lambda a, b: f"`{a}`, `{b}`", NAMES, NAMES),
    ),
    max_size=6,
).map(lambda parts: " ".join(parts).replace("\n", " "))


def _cell(text: str) -> str:
    return text.replace("\n", " ").replace("|", "\\|")


@st.composite
def type_cells(draw: st.DrawFn) -> str:
    target = draw(TYPE_NAMES)
    form = draw(
        st.sampled_from(
            [
                "prim",
                "link",
                "link_coll",
                "coll",
                "Coll()",
                "bare",
                "enum_anchor",
                "refstyle",
                "qualified",
                "union",
                "junk",
                "empty",
            ]
        )
    )
    prim = draw(st.sampled_from(PRIMITIVES))
    return {
        "prim": prim,
        "link": f"[{target}]({target}.md)",
        "link_coll": f"[{target}](../resources/{target}.md) collection",
        "coll": f"{prim} collection",
        "Coll()": f"Collection({prim})",
        "bare": target,
        "enum_anchor": f"[{target}](enums.md#{target}-values)",
        "refstyle": f"Collection([{target}][])",
        "qualified": f"microsoft.graph.{target}",
        "union": f"[{target}]({target}.md) or [gadget](gadget.md)",
        "junk": draw(st.text(max_size=8)),
        "empty": "",
    }[form]


@st.composite
def tables(draw: st.DrawFn, heading: str, header: str) -> str:
    rows = draw(st.lists(st.tuples(NAMES, type_cells(), DESCRIPTIONS), max_size=5))
    lines = [heading, "", header, "|:--|:--|:--|"]
    trailing = draw(st.booleans())
    for name, cell, desc in rows:
        line = f"| {_cell(name)} | {_cell(cell)} | {_cell(desc)}"
        lines.append(line + (" |" if trailing else ""))
    return "\n".join(lines)


@st.composite
def enum_sections(draw: st.DrawFn) -> str:
    name = draw(st.one_of(TYPE_NAMES, NAMES))
    head = draw(
        st.sampled_from(
            [
                "| Member | Value | Description |",
                "| Member | Description |",
                "| Value |",
                "| Member |",
                "| Member | Int value | Description |",
                "| Value | Description |",
            ]
        )
    )
    cols = head.count("|") - 1
    members = draw(st.lists(st.one_of(NAMES, st.sampled_from(["0", "1", "4", "-3"])), max_size=6))
    lines = [f"### {name}\u00a0values" if draw(st.booleans()) else f"### {name} values", ""]
    lines += [head, "|" + ":--|" * cols]
    for i, m in enumerate(members):
        cells = [_cell(m)] + [
            str(2**i) if "Value |" in head and j == 0 else "d" for j in range(cols - 1)
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


@st.composite
def annotations(draw: st.DrawFn, name: str) -> str:
    data: dict[str, Any] = {"blockType": "resource", "@odata.type": f"microsoft.graph.{name}"}
    if draw(st.booleans()):
        data["baseType"] = draw(
            st.one_of(st.none(), st.builds(lambda t: f"microsoft.graph.{t}", TYPE_NAMES))
        )
    if draw(st.booleans()):
        data["keyProperty"] = draw(st.sampled_from(["id", "", "ID", "name"]))
    for key in ("openType", "abstract"):
        if draw(st.booleans()):
            data[key] = draw(st.sampled_from([True, False, "true", None]))
    text = json.dumps(data, ensure_ascii=False)
    if draw(st.booleans()):
        text = text[:-1] + ",}"  # a trailing comma, as 13 real pages have
    return f"<!-- {text} -->"


@st.composite
def json_blocks(draw: st.DrawFn) -> str:
    keys = draw(st.lists(NAMES, max_size=5))
    values = st.one_of(
        st.sampled_from(["String", "String (timestamp)", "Int32", "Boolean", "Guid"]),
        st.builds(lambda t: {"@odata.type": f"microsoft.graph.{t}"}, TYPE_NAMES),
        st.builds(lambda v: [v], st.sampled_from(["String", 1, True])),
        st.integers(),
        st.booleans(),
        st.none(),
    )
    body = {k: draw(values) for k in keys}
    text = json.dumps(body, indent=2, ensure_ascii=False)
    if draw(st.booleans()):
        text = text.replace("\n}", ",\n  // a comment\n}")
    return "```json\n" + text + "\n```"


@st.composite
def pages(draw: st.DrawFn) -> str:
    # Mostly names from a small pool, so pages link to (and derive from) each other.
    name = draw(st.one_of(TYPE_NAMES, TYPE_NAMES, NAMES))
    kind = draw(st.sampled_from(["resource type", "resource", "enum type", "complex type"]))
    parts: list[str] = []
    if draw(st.booleans()):
        parts.append('---\ntitle: "x"\ndoc_type: resourcePageType\n---')
    parts.append(f"# {name} {kind}")
    if draw(st.booleans()):
        namespaces = ["microsoft.graph", "microsoft.graph.callRecords", "x", "a..b", "../x"]
        parts.append(f"Namespace: {draw(st.sampled_from(namespaces))}")
    parts.append(draw(DESCRIPTIONS))
    if draw(st.booleans()):
        base = draw(TYPE_NAMES)
        parts.append(f"Inherits from [{base}]({base}.md).")
    if draw(st.booleans()):
        parts.append(draw(annotations(name)))
    blocks = draw(
        st.lists(
            st.sampled_from(
                ["props", "props", "rels", "enum", "members", "json", "comment", "noise"]
            ),
            min_size=1,
            max_size=5,
        )
    )
    for block in blocks:
        if block == "props":
            parts.append(draw(tables("## Properties", "| Property | Type | Description |")))
        elif block == "rels":
            parts.append(draw(tables("## Relationships", "| Relationship | Type | Description |")))
        elif block == "enum":
            parts.append(draw(enum_sections()))
        elif block == "members":
            parts.append("## Members\n\n" + draw(enum_sections()).split("\n", 2)[2])
        elif block == "json":
            parts.append(
                "## JSON representation\n\n"
                + draw(annotations(name))
                + "\n\n"
                + draw(json_blocks())
            )
        elif block == "comment":
            parts.append(
                draw(st.sampled_from(["<!--", "<!-- {", '<!-- { "blockType": "resource"', "```"]))
            )
        else:
            parts.append(draw(st.text(max_size=40)))
    sep = draw(st.sampled_from(["\n\n", "\r\n\r\n", "\n"]))
    return sep.join(parts)


@st.composite
def linked_sets(draw: st.DrawFn) -> dict[str, str | bytes]:
    """Pages that derive from each other (cycles included) and reference each other."""
    names = draw(st.lists(TYPE_NAMES, min_size=2, max_size=4, unique_by=str.lower))
    docs: dict[str, str | bytes] = {}
    for i, name in enumerate(names):
        base = draw(st.sampled_from([*names, None]))
        head = {"blockType": "resource", "@odata.type": f"microsoft.graph.{name}"}
        if base is not None:
            head["baseType"] = f"microsoft.graph.{base}"
        if draw(st.booleans()):
            head["keyProperty"] = "id"
        rows = draw(tables("## Properties", "| Property | Type | Description |"))
        docs[f"p{i}.md"] = f"# {name} resource type\n\n<!-- {json.dumps(head)} -->\n\n{rows}\n"
    return docs


DOC_SETS = st.one_of(
    st.dictionaries(
        st.sampled_from(["a.md", "b.md", "enums.md", "sub/c.md", "Widget.md", "widget2.md"]),
        pages(),
        min_size=1,
        max_size=3,
    ),
    linked_sets(),
)

# --- mutations of real pages ---

INSERTS = HOSTILE_TEXT + [
    "# x resource type",
    "## Properties",
    "| Property | Type | Description |",
    "|:--|:--|:--|",
    "| from | [class](class.md) | d |",
    '<!-- {"blockType": "resource", "@odata.type": "microsoft.graph.con"} -->',
    "### name values",
    "| Member |\n|:--|\n| name |\n| mro |",
    '```json\n{"a": ,}\n```',
    "Inherits from [entity](entity.md).",
    "\x00" * 3,
]


@st.composite
def mutated_corpus_pages(draw: st.DrawFn, corpus: Path, names: list[str]) -> dict[str, str | bytes]:
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
    docs: dict[str, str | bytes] = {}
    for name in chosen:
        data = (corpus / name).read_bytes()
        lines = data.split(b"\n")
        for _ in range(draw(st.integers(0, 6))):
            op = draw(
                st.sampled_from(["delete", "duplicate", "insert", "swap", "truncate", "byte"])
            )
            if not lines:
                break
            i = draw(st.integers(0, len(lines) - 1))
            if op == "delete":
                del lines[i : i + draw(st.integers(1, 5))]
            elif op == "duplicate":
                lines[i:i] = lines[i : i + draw(st.integers(1, 5))]
            elif op == "insert":
                lines.insert(i, draw(st.sampled_from(INSERTS)).encode("utf-8", "surrogatepass"))
            elif op == "swap":
                j = draw(st.integers(0, len(lines) - 1))
                lines[i], lines[j] = lines[j], lines[i]
            elif op == "truncate":
                lines = lines[:i]
            else:
                line = bytearray(lines[i])
                if line:
                    line[draw(st.integers(0, len(line) - 1))] = draw(st.integers(0, 255))
                lines[i] = bytes(line)
        docs[name] = b"\n".join(lines)
    return docs


# --- the property and how long to run it ---


STATS = {"inputs": 0, "packages": 0, "types": 0, "error exits": 0}


def _check(docs: dict[str, str | bytes]) -> None:
    STATS["inputs"] += 1
    with tempfile.TemporaryDirectory() as tmp:
        root = write_docs(Path(tmp) / "docs", docs)
        outcome = build_and_import(root, Path(tmp) / "work")
    if outcome.out is None:
        STATS["error exits"] += 1
    else:
        STATS["packages"] += 1
        STATS["types"] += len(outcome.model.types)


def _run(test: Callable[[], None], label: str) -> None:
    """Once (bounded), or repeatedly until DOCGEN_FUZZ_SECONDS is spent."""
    STATS.update(dict.fromkeys(STATS, 0))
    start = time.monotonic()
    test()
    while time.monotonic() - start < FUZZ_SECONDS:
        test()  # each call draws new inputs (no example database, random seed)
    # Not vacuous: the inputs reach the render/import stages with types in them.
    assert STATS["packages"] > 0 and STATS["types"] > 0, STATS
    if FUZZ_SECONDS > 0:
        figures = ", ".join(f"{v} {k}" for k, v in STATS.items())
        print(f"\n{label}: {figures} in {time.monotonic() - start:.0f}s, 0 crashes")


def test_grammar_pages_build_or_fail_cleanly() -> None:
    @BOUNDED
    @given(DOC_SETS)
    def inner(docs: dict[str, str | bytes]) -> None:
        _check(docs)

    _run(inner, "grammar")


def test_mutated_corpus_pages_build_or_fail_cleanly(corpus_v1_resources: Path) -> None:
    names = sorted(p.name for p in corpus_v1_resources.glob("*.md"))

    @BOUNDED
    @given(mutated_corpus_pages(corpus_v1_resources, names))
    def inner(docs: dict[str, str | bytes]) -> None:
        _check(docs)

    _run(inner, "corpus mutations")
