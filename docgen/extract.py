"""Extract the types one page declares, with references left unresolved.

Works on the block model from `read`: headings, tables, paragraphs, comments
and code. A page declares types through resource annotations, a `# x enum
type` title, `### x values` sections on `enums*.md` pages, or (for pages
without an annotation) its title; its tables then give properties and enum
members. Everything here is per page, so results can be cached by page hash.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from . import edm, lenient, limits
from .model import (
    Claim,
    Diagnostic,
    Kind,
    MemberDecl,
    MethodDecl,
    PageDecls,
    PropertyDecl,
    TypeDecl,
    TypeRef,
)
from .read import Block, Cell, Code, Comment, Heading, Page, Paragraph, Table

DEFAULT_NAMESPACE = "microsoft.graph"

_TITLE = re.compile(
    r"^\s*(?P<name>[A-Za-z_][\w.]*)\s+"
    r"(?P<what>resource\s+type|resource|enum\s+type|enumeration\s+type|enum|complex\s+type"
    r"|entity\s+type|entity|facet|object|type)\b",
    re.I,
)
_ENUM_HEADING = re.compile(
    r"^\s*[`*]*(?P<name>[A-Za-z_][\w.]*)[`*]*\s+(?:property\s+)?"
    r"(?P<what>values?|options|meaning|members|enum(?:eration)?(?:\s+values)?)\s*$",
    re.I,
)
_NAME = re.compile(r"(?:@|[^\W])[\w.@/\\\-]*")  # any letter or digit first, not only ASCII
_IDENTIFIER = re.compile(r"\w+")
_TYPE_WORD = re.compile(r"[A-Za-z_][\w.]*")
# "X inherits from [Y]" and its variants: the page's own base, when its subject is the page's type.
_INHERITS = re.compile(
    r"\b(?:inherit(?:s|ed)?(?:\s+(?:all\s+)?(?:the\s+)?(?:metadata\s+)?properties)?\s+(?:from|of)"
    r"|derived\s+from|derives?\s+from|derivative\s+of"
    r"|sub-?(?:class|type)(?:es|s)?\s+(?:of|from))\b",
    re.I,
)
# A base page naming the types derived from it.
_DERIVED = re.compile(
    r"\b(derived\s+(?:types?|classes)\b(?:\s*(?:are|is|include|:))?"
    r"|base\s+(?:type|class|resource)\s+(?:for|of)\b|(?:is|are)\s+inherited\s+by\b)",
    re.I,
)
# The object of an inheritance sentence that is the page's own type ("... inherit from this type").
_SELF_OBJECT = re.compile(r"\s*(?:this\b|here\b|it\b)", re.I)
_LIST_INTRO = re.compile(
    r"\b(?:such\s+as|for\s+example|for\s+instance|e\.g\.?|which\s+can\s+be(?:\s+either)?"
    r"(?:\s+an?)?|either|including|includes?|like|namely|are|is)\W*(?:the\s+)?$"
)
_LIST_SEPARATORS = {"", "and", "or", "the", "and the", "or the", ", and", ", or", "as well as"}
_MODALS = {"will", "would", "shall", "should", "can", "could", "may", "might", "must", "to", "does"}
_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=[A-Z\[`*])")
_OPEN_PROSE = re.compile(
    r"\b(?:this|it)(?:\s+(?:type|resource|resource\s+type|complex\s+type|entity))?"
    r"\s+is\s+an?\s+(?:odata\s+(?:v4\s+)?)?open\s*type\b",
    re.I,
)
_NO_PROPERTIES = re.compile(
    r"^(?:(?:none|n/a)(?:\.\s|\.?$)|.*\b(?:has|contains)\s+no\s+properties\b)", re.I
)
_POSSIBLE = re.compile(
    r"\b(?:the\s+)?(?:possible|supported|allowed|valid|accepted)\s+values?\s*"
    r"(?:are|is|include|includes)?\s*:?",
    re.I,
)
_NUMBER = re.compile(r"^-?\d+$")
_JSON_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SENTENCE_END = re.compile(r"\.(\s|$)")

_PROPERTY_HEADS = {"property", "property name", "name", "properties", "attribute"}
_RELATION_HEADS = {"relationship", "relationship name", "relationships", "navigation property"}
_MEMBER_HEADS = {"member", "members", "name", "value", "string value", "member name", "enum value"}


@dataclass
class _Type:
    """A type being assembled while walking one page."""

    decl: TypeDecl
    props: list[PropertyDecl] = field(default_factory=list)
    members: list[MemberDecl] = field(default_factory=list)
    json_line: int | None = None

    def freeze(self) -> TypeDecl:
        return replace(self.decl, properties=tuple(self.props), members=tuple(self.members))


@dataclass
class _Ctx:
    page: Page
    diags: list[Diagnostic] = field(default_factory=list)

    def warn(self, line: int, code: str, message: str, col: int = 1) -> None:
        self.diags.append(Diagnostic(self.page.source, line, col, "warning", code, message))


def extract(page: Page) -> PageDecls:
    """Everything the page declares; overview pages give no types and no noise."""
    ctx = _Ctx(page)
    blocks = page.blocks
    title = _title(blocks)
    stated, namespace_line = _namespace(ctx, blocks)
    namespace = stated or DEFAULT_NAMESPACE
    annotations = _resource_annotations(ctx, blocks)
    types: list[_Type] = []
    title_match = _TITLE.match(title.text) if title else None
    title_kind = title_match.group("what").lower() if title_match else ""
    is_enum_page = title_kind.startswith(("enum", "enumeration"))

    if annotations:
        for line, data in annotations:
            declared = _from_annotation(ctx, line, data, namespace, title)
            declared.json_line = line
            if not namespace_line and "." not in str(data.get("@odata.type") or data.get("@type")):
                declared.decl = replace(declared.decl, namespace_stated=False)
            if len(annotations) == 1 and title is not None:
                declared.decl = replace(declared.decl, line=title.line)
            types.append(declared)
    elif is_enum_page and title_match:
        name = title_match.group("name")
        types.append(
            _Type(
                TypeDecl(
                    *_split_qualified(name, namespace),
                    True,
                    page.source,
                    title.line if title else 1,
                    namespace_stated=namespace_line or "." in name,
                )
            )
        )
    elif title_match and (
        any(_property_table(b) for b in blocks if isinstance(b, Table)) or _no_properties(blocks)
    ):
        name = title_match.group("name")
        types.append(
            _Type(
                TypeDecl(
                    *_split_qualified(name, namespace),
                    False,
                    page.source,
                    title.line if title else 1,
                    namespace_stated=namespace_line or "." in name,
                )
            )
        )

    if types:
        types[0].decl = replace(
            types[0].decl,
            description=_intro(blocks) or _front_matter_description(page),
            addressable=_addressable(blocks),
        )
    _walk_tables(ctx, blocks, types, namespace, is_enum_page, namespace_line)
    structured = [t for t in types if not t.decl.is_enum]
    if len(structured) == 1:  # prose speaks of the page's type only where there is one
        t = structured[0]
        t.decl = replace(t.decl, kind_hint=_title_kind(title_kind))
        _relations_from_prose(ctx, blocks, t)
        _base_from_rows(ctx, blocks, t)
        if _open_in_prose(blocks):
            t.decl = replace(t.decl, open=True)
    for t in types:
        if not t.decl.is_enum:
            _props_from_json(ctx, blocks, t)
    decls = tuple(t.freeze() for t in _valid_types(ctx, types))
    return PageDecls(
        page.source, title.text if title else None, decls, tuple(ctx.diags), _methods(blocks)
    )


def _valid_types(ctx: _Ctx, types: list[_Type]) -> list[_Type]:
    out = []
    for t in types:
        too_big = limits.qualified_problem(t.decl.qualified)
        if not valid_qualified(t.decl.qualified):
            ctx.warn(t.decl.line, "DG106", f"invalid type name {t.decl.qualified!r}; ignored")
        elif too_big:
            shown = limits.shown(t.decl.qualified)
            ctx.warn(t.decl.line, "DG107", f"type name {shown!r} {too_big}; ignored")
        else:
            out.append(t)
    return out


# --- page-level facts ---


def _title(blocks: Sequence[Block]) -> Heading | None:
    for b in blocks:
        if isinstance(b, Heading) and b.level == 1 and not b.text.startswith("["):
            if b.links and b.links[0].href.startswith("#tab/"):
                continue
            return b
    return None


def _namespace(ctx: _Ctx, blocks: Sequence[Block]) -> tuple[str | None, bool]:
    """The "Namespace:" line's namespace, and whether the page has such a line.

    An enum page without one gets its namespace in resolve, from the types
    that use its enums.
    """
    for b in blocks:
        if isinstance(b, Paragraph) and b.text.lower().startswith("namespace:"):
            words = b.text.split(":", 1)[1].split()
            if words:
                ns = words[0].strip("`*.,")
                too_big = limits.qualified_problem(ns)
                if valid_qualified(ns) and too_big:
                    ctx.warn(
                        b.line,
                        "DG107",
                        f"namespace {limits.shown(ns)!r} {too_big}; using {DEFAULT_NAMESPACE}",
                    )
                    return None, True
                if valid_qualified(ns):
                    return root_spelling(ns), True
                ctx.warn(
                    b.line, "DG106", f"invalid namespace {words[0]!r}; using {DEFAULT_NAMESPACE}"
                )
                return None, True
    return None, False


def root_spelling(namespace: str) -> str:
    """`Microsoft.Graph.x` is `microsoft.graph.x`: namespaces are case-insensitive,
    and the root's spelling is fixed (other parts are settled in resolve)."""
    low = namespace.lower()
    if low == DEFAULT_NAMESPACE or low.startswith(DEFAULT_NAMESPACE + "."):
        return DEFAULT_NAMESPACE + namespace[len(DEFAULT_NAMESPACE) :]
    return namespace


def valid_qualified(name: str) -> bool:
    """Dotted word-character parts only: nothing that could become a path or syntax.

    Digits first and non-ASCII letters are allowed (names.py makes them Python
    names); slashes, `..`, spaces and punctuation are not.
    """
    return all(_IDENTIFIER.fullmatch(part) for part in name.split("."))


def _intro(blocks: Sequence[Block]) -> str:
    """The first prose paragraph after the title: the type's description.

    Block quotes (`> **Note:** ...`, `> [!NOTE]`), includes, licence notes and
    the beta disclaimer are skipped: they say nothing about the type.
    """
    seen_title = False
    for b in blocks:
        if isinstance(b, Heading):
            if seen_title:
                return ""
            seen_title = b.level == 1
            continue
        if not seen_title or not isinstance(b, Paragraph) or b.quoted:
            continue
        if lenient.summary_text(b.text):
            return b.text
    return ""


def _front_matter_description(page: Page) -> str:
    """The front matter's `description:`, where the page's prose gives no summary."""
    text = " ".join(dict(page.front_matter).get("description", "").split())
    return text if lenient.summary_text(text) else ""


def _split_qualified(name: str, namespace: str) -> tuple[str, str]:
    """(name, namespace) from a possibly qualified name."""
    name = name.strip().lstrip("#")
    if name.lower().startswith("graph."):
        name = "microsoft." + name
    if "." in name:
        ns, _, short = name.rpartition(".")
        return short, root_spelling(ns)
    return name, namespace


def _resource_annotations(ctx: _Ctx, blocks: Sequence[Block]) -> list[tuple[int, dict[str, Any]]]:
    found: list[tuple[int, dict[str, Any]]] = []
    for b in blocks:
        if not isinstance(b, Comment) or "blocktype" not in b.body.lower():
            continue
        span = lenient.json_object_span(b.body)
        if span is None:
            continue
        parsed = lenient.loads(span)
        if not isinstance(parsed.value, dict):
            if re.search(r'"blocktype"\s*:\s*"resource"', span, re.I):
                ctx.warn(b.line, "DG102", f"resource annotation is not valid JSON: {parsed.error}")
            continue
        data = {str(k).lower(): v for k, v in parsed.value.items()}
        if str(data.get("blocktype", "")).lower() != "resource":
            continue
        if parsed.repaired:
            ctx.warn(b.line, "DG101", "annotation JSON repaired: " + ", ".join(parsed.repaired))
        declared = data.get("@odata.type") or data.get("@type")
        if not declared:
            ctx.warn(b.line, "DG103", "resource annotation names no @odata.type")
            continue
        if not isinstance(declared, str) or not valid_qualified(str(declared).strip().lstrip("#")):
            ctx.warn(b.line, "DG106", f"invalid type name {declared!r} in annotation; ignored")
            continue
        too_big = limits.qualified_problem(declared.strip().lstrip("#"))
        if too_big:
            shown = limits.shown(declared)
            ctx.warn(b.line, "DG107", f"type name {shown!r} in annotation {too_big}; ignored")
            continue
        found.append((b.line, data))
    if len(found) > 1:
        ctx.warn(found[1][0], "DG104", f"{len(found)} resource annotations on one page")
    return found


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def _from_annotation(
    ctx: _Ctx, line: int, data: dict[str, Any], namespace: str, title: Heading | None
) -> _Type:
    qualified = str(data.get("@odata.type") or data.get("@type"))
    name, ns = _split_qualified(qualified, namespace)
    bases: list[Claim] = []
    base = data.get("basetype")
    if isinstance(base, str) and base.strip():
        bases.append(Claim(TypeRef(base, base.strip()), "annotation", ctx.page.source, line))
    key_value = data.get("keyproperty")
    key: tuple[str, ...] | None = None
    if isinstance(key_value, str) and key_value.strip():
        key = (key_value.strip(),)
    elif isinstance(key_value, list):
        key = tuple(str(k) for k in key_value if str(k).strip()) or None
    return _Type(
        TypeDecl(
            name=name,
            namespace=ns,
            is_enum=False,
            source=ctx.page.source,
            line=line,
            bases=tuple(bases),
            key=key,
            abstract=_truthy(data.get("abstract", False)),
            open=_truthy(data.get("opentype", False)),
        )
    )


# --- tables ---


def _head(cells: Iterable[Cell]) -> list[str]:
    return [" ".join(c.text.lower().replace("*", "").split()) for c in cells]


def _property_table(table: Table) -> bool:
    head = _head(table.header)
    return (
        len(head) >= 2
        and (head[0] in _PROPERTY_HEADS or head[0] in _RELATION_HEADS)
        and "type" in head
    )


def _member_table(table: Table) -> bool:
    head = _head(table.header)
    if not head:
        return False
    first = head[0]
    return (
        first in _MEMBER_HEADS
        or first.endswith((" value", " values", " member"))
        or (first == "value" and "type" not in head)
    )


def _walk_tables(
    ctx: _Ctx,
    blocks: Sequence[Block],
    types: list[_Type],
    namespace: str,
    is_enum_page: bool,
    namespace_line: bool = True,
) -> None:
    headings: list[Heading] = []
    for block in blocks:
        if isinstance(block, Heading):
            headings = [h for h in headings if h.level < block.level] + [block]
            continue
        if not isinstance(block, Table):
            continue
        near = headings[-1] if headings else None
        if _property_table(block):
            if any(h.level >= 3 and h.text.lower().startswith("properties of") for h in headings):
                continue  # describes something else, such as a policy's definition JSON
            owner = _owner(types, headings)
            if owner is None or owner.decl.is_enum:
                continue
            navigation = _is_relationships(block, headings)
            _read_properties(ctx, block, owner, navigation)
        elif _member_table(block):
            _read_members(ctx, block, near, types, namespace, is_enum_page, namespace_line)


def _owner(types: list[_Type], headings: list[Heading]) -> _Type | None:
    structured = [t for t in types if not t.decl.is_enum]
    if len(structured) > 1:
        for h in reversed(headings):
            low = h.text.lower()
            for t in structured:
                if t.decl.name.lower() in low.split() or low.startswith(t.decl.name.lower()):
                    return t
    return structured[0] if structured else None


def _is_relationships(table: Table, headings: list[Heading]) -> bool:
    head = _head(table.header)
    if head[0] in _RELATION_HEADS:
        return True
    for h in reversed(headings):
        low = h.text.lower()
        if "relationship" in low or "navigation" in low:
            return True
        if "propert" in low or "attribute" in low:
            return False
    return False


def _clean_name(cell: Cell) -> str:
    text = cell.text.strip()
    text = re.sub(r"\s*\((?:deprecated|preview|beta)[^)]*\)\s*$", "", text, flags=re.I)
    text = text.strip("*`'\" ")
    m = _NAME.match(text)
    return m.group(0).rstrip(".-/") if m else ""


def _api_link(href: str) -> bool:
    """A link to an API (method) page such as `../api/device-list.md`.

    A relationship's name may link to the API page that reads it
    (`[primaryChannel](../api/team-get-primarychannel.md)`); a method's
    name is several words (`[List memberOf](../api/device-list-memberof.md)`).
    """
    path = href.split("#", 1)[0].replace("\\", "/").lower()
    return path.endswith(".md") and ("/api/" in path or path.startswith("api/"))


def _read_properties(ctx: _Ctx, table: Table, owner: _Type, navigation: bool) -> None:
    head = _head(table.header)
    type_col = head.index("type")
    desc_col = next((i for i, h in enumerate(head) if h.startswith("desc")), len(head) - 1)
    seen = {p.name for p in owner.props}
    for row in table.rows:
        cells = row.cells
        if not cells:
            continue
        if len(cells[0].text.split()) > 1 and any(_api_link(x.href) for x in cells[0].links):
            ctx.warn(
                row.line,
                "DG204",
                f"a method row in a property table ({cells[0].text!r} links to an API page): "
                "skipped",
            )
            continue
        name = _clean_name(cells[0])
        type_cell = cells[type_col] if type_col < len(cells) else Cell("")
        if not type_cell.text.strip():
            continue  # group rows such as `|**Apps**|`
        if not name:
            if cells[0].text.strip():
                ctx.warn(row.line, "DG203", f"cannot read a property name in {cells[0].text!r}")
            continue
        if name.startswith("@"):
            continue  # instance annotations (`@microsoft.graph.downloadUrl`) are not properties
        desc_cell = cells[desc_col] if desc_col < len(cells) and desc_col != type_col else Cell("")
        if len(cells) > len(head):
            desc_cell = Cell(
                " | ".join(c.text for c in cells[desc_col:]),
                segments=tuple(s for c in cells[desc_col:] for s in c.segments),
            )
        ref = parse_type_cell(type_cell)
        if ref.name is None:
            ctx.warn(row.line, "DG201", f"cannot read the type of {name!r}: {type_cell.text!r}")
            ref = TypeRef(type_cell.text, "String")
        if name in seen:
            ctx.warn(row.line, "DG202", f"property {name!r} is listed twice")
            continue
        seen.add(name)
        values = possible_values(desc_cell)
        _after_sentinel(ctx, [(v, row.line) for v in values], row.line)
        owner.props.append(
            PropertyDecl(
                name=name,
                type=ref,
                navigation=navigation,
                description=desc_cell.text,
                line=row.line,
                values=values,
                source=ctx.page.source,
            )
        )


def _member_value_columns(table: Table) -> tuple[int, int | None, int | None]:
    """(name column, numeric value column, description column)."""
    head = _head(table.header)
    name_col = 0
    value_col: int | None = None
    desc_col: int | None = None
    for i, h in enumerate(head):
        if i == 0:
            continue
        if h.startswith("desc") or h in ("reasons", "meaning", "remarks"):
            desc_col = i if desc_col is None else desc_col
        elif "value" in h or h in ("int", "number", "member"):
            value_col = i if value_col is None else value_col
    if value_col is not None:
        numeric = [r.cells[value_col].text.strip() for r in table.rows if value_col < len(r.cells)]
        firsts = [r.cells[0].text.strip() for r in table.rows if r.cells]
        if numeric and not all(_NUMBER.match(v) for v in numeric if v):
            # A text "value" column next to a numeric first column names the members.
            if firsts and all(_NUMBER.match(v) for v in firsts if v):
                return value_col, 0, desc_col
            value_col = None
    if desc_col is None and len(head) >= 2 and value_col != 1:
        desc_col = 1
    return name_col, value_col, desc_col


def _read_members(
    ctx: _Ctx,
    table: Table,
    near: Heading | None,
    types: list[_Type],
    namespace: str,
    is_enum_page: bool,
    namespace_line: bool = True,
) -> None:
    heading = _ENUM_HEADING.match(near.text) if near else None
    name_col, value_col, desc_col = _member_value_columns(table)
    members: list[MemberDecl] = []
    seen: set[str] = set()
    for row in table.rows:
        if name_col >= len(row.cells):
            continue
        name = _clean_name(row.cells[name_col])
        if not name:
            continue
        if name in seen:
            ctx.warn(row.line, "DG302", f"enum member {name!r} is listed twice")
            continue
        seen.add(name)
        value = None
        if value_col is not None and value_col < len(row.cells):
            raw = row.cells[value_col].text.strip()
            value = int(raw) if _NUMBER.match(raw) and len(raw) <= 19 else None
        desc = (
            row.cells[desc_col].text if desc_col is not None and desc_col < len(row.cells) else ""
        )
        members.append(MemberDecl(name, value, desc, row.line))
    if not members:
        ctx.warn(table.line, "DG301", "enum table has no members")
        return
    _after_sentinel(ctx, [(m.name, m.line) for m in members])

    enum_owner = next((t for t in types if t.decl.is_enum), None)
    if is_enum_page and enum_owner is not None and not enum_owner.members:
        enum_owner.members.extend(members)
        _check_flags(enum_owner, table)
        return
    if heading is None:
        return  # a value table we cannot attach to anything: leave it as prose
    label = heading.group("name")
    named = heading.group("what").lower().startswith(("value", "option", "enum", "member"))
    # A table under `### status values` on a resource page describes the
    # `status` property (if there is one) and, being named, is also an enum.
    structured = [t for t in types if not t.decl.is_enum]
    if named and _only_repeats_property(structured, label):
        named = False  # resolve names its enum `<type><Property>`, as for "Possible values"
    for t in structured:
        for i, p in enumerate(t.props):
            if p.name.lower() == label.lower() or (named and _refers_to(p.type, label)):
                t.props[i] = replace(
                    p,
                    values=tuple(m.name for m in members),
                    value_descriptions=tuple(m.description for m in members),
                    values_name=label if named else None,
                )
    if named:
        name, ns = _split_qualified(label, namespace)
        decl = TypeDecl(
            name,
            ns,
            True,
            ctx.page.source,
            near.line if near else table.line,
            namespace_stated=namespace_line or "." in label,
        )
        enum = _Type(decl, members=members)
        _check_flags(enum, table)
        types.append(enum)


def _only_repeats_property(structured: list[_Type], label: str) -> bool:
    """`## State enumeration` above the values of a `String` property `state`.

    Such a heading repeats the property's name rather than naming a type: an
    enum named after it (`State`, `Type`, `DisplayAs` on several pages) would be
    generic, and shared by unrelated properties. A heading that a property's
    type cell names (`riskLevel` typed `[riskLevel](#risklevel-values)`) names
    a documented enum and keeps its name.
    """
    low = label.lower()
    props = [p for t in structured for p in t.props]
    if any(_refers_to(p.type, label) and not _primitive_ref(p.type) for p in props):
        return False
    return any(p.name.lower() == low and _primitive_ref(p.type) for p in props)


def _primitive_ref(ref: TypeRef) -> bool:
    return ref.target is None and edm.primitive(ref.name or "") is not None


def _after_sentinel(ctx: _Ctx, members: Sequence[tuple[str, int]], line: int = 0) -> None:
    """Members after `unknownFutureValue` are newer ones that clients must opt into
    (an evolvable enum); worth knowing, since they are not sent to every client."""
    names = [name for name, _ in members]
    at = next((i for i, n in enumerate(names) if n.lower() == "unknownfuturevalue"), None)
    if at is None or at == len(names) - 1:
        return
    later = names[at + 1 :]
    ctx.warn(
        line or members[at + 1][1],
        "DG303",
        f"{len(later)} member(s) listed after {names[at]}: "
        + ", ".join(later[:5])
        + (", ..." if len(later) > 5 else ""),
    )


def _refers_to(ref: TypeRef, label: str) -> bool:
    low = label.lower()
    return (ref.name or "").lower().rpartition(".")[2] == low or (
        ref.anchor or ""
    ).lower().startswith(low)


_FLAGS_WORDS = re.compile(r"\bflags\b|\bbit\s*(?:wise|mask|field)s?\b|\bbitmask", re.I)


def _check_flags(enum: _Type, table: Table | None = None) -> None:
    """A flags enum, from any form the docs use to say so.

    Its values are distinct powers of two (at least three, not just 1..n:
    `1, 2` is as often a plain enum), its description or a member's says
    "flags" or "bitwise", or its table has a `Flags` column. (Comma-joined
    examples in JSON are checked in resolve, where properties meet their types.)
    """
    values = [m.value for m in enum.members if m.value is not None]
    nonzero = [v for v in values if v > 0]
    powers = (
        len(values) == len(enum.members)
        and len(set(values)) == len(values)
        and all(v & (v - 1) == 0 for v in nonzero)
    )
    by_values = powers and len(nonzero) >= 3 and sorted(nonzero) != list(range(1, len(nonzero) + 1))
    texts = [enum.decl.description] + [m.description for m in enum.members]
    by_words = any(_FLAGS_WORDS.search(t) for t in texts if t)
    by_column = table is not None and _flags_column(table)
    enum.decl = replace(enum.decl, flags=by_values or by_words or by_column)


def _flags_column(table: Table) -> bool:
    """A `Flags` (or `Is flags`) column saying yes for the enum."""
    head = _head(table.header)
    cols = [i for i, h in enumerate(head) if h in ("flags", "flag", "isflags", "is flags")]
    for i in cols:
        cells = [r.cells[i].text.strip("`* ").lower() for r in table.rows if i < len(r.cells)]
        if not any(cells) or any(c in ("true", "yes") for c in cells):
            return True
    return False


# --- type cells and descriptions ---


def parse_type_cell(cell: Cell) -> TypeRef:
    """A type cell in any of its 115 real forms, reduced to name, link and collection."""
    text = cell.text.strip().strip("`").strip()
    low = text.lower()
    # A word of its own: `siteCollection` is a type name, not a collection.
    collection = (
        re.search(r"(?i)\bcollection\b", text) is not None
        or low.startswith("list of")
        or low.endswith("[]")
    )
    for link in cell.links:
        href = link.href.strip()
        if not href or href.startswith(("http://", "https://")) and "graph" not in href:
            continue
        path, _, anchor = href.partition("#")
        target = path.partition("?")[0].rsplit("/", 1)[-1].lower() or None
        if target and "." not in target:
            target += ".md"
        name = link.text.strip("[]`* ")
        m = _TYPE_WORD.search(name)
        if m is None and target:
            m = _TYPE_WORD.search(target.removesuffix(".md"))
        if m is None:
            continue
        return TypeRef(text, m.group(0), target, anchor or None, collection)
    body = re.sub(r"(?i)\bcollection\b\s*(of\b)?", " ", text)
    body = body.replace("(", " ").replace(")", " ").replace("[", " ").replace("]", " ")
    m = _TYPE_WORD.search(body)
    return TypeRef(text, m.group(0) if m else None, None, None, collection)


def possible_values(cell: Cell) -> tuple[str, ...]:
    """Values listed after "Possible values are:" (and its variants) in a description."""
    segments = cell.segments or (("text", cell.text),)
    joined = ""
    starts: list[int] = []
    for _, text in segments:
        starts.append(len(joined))
        joined += text
    m = _POSSIBLE.search(joined)
    if m is None:
        return ()
    after = m.end()
    values: list[str] = []
    marked = [
        (start, kind, text)
        for start, (kind, text) in zip(starts, segments, strict=True)
        if kind in ("code", "strong") and start + len(text) > after
    ]
    if marked:
        stop = _list_end(joined, after, [(s, s + len(t)) for s, _, t in marked])
        for start, _, text in marked:
            if start >= stop:
                break
            values.extend(v for v in _split_values(text) if v)
    else:
        rest = joined[after:]
        end = _SENTENCE_END.search(rest)
        rest = rest[: end.start()] if end else rest
        values.extend(v for v in _split_values(rest, prose=True) if v)
    out: list[str] = []
    for v in values:
        if v.lower() in ("null", "true", "false") or v in out:
            continue
        out.append(v)
    return tuple(out) if len(out) >= 2 else ()


def _list_end(joined: str, after: int, marks: list[tuple[int, int]]) -> int:
    """Where the marked-up value list ends: at a sentence end or longer prose."""
    prev_end = after
    for start, end in marks:
        gap = joined[prev_end:start]
        if prev_end > after and (_SENTENCE_END.search(gap) or gap.strip().startswith(".")):
            return start
        if len(gap.split()) > 6:
            return start
        prev_end = end
    return len(joined)


def _split_values(text: str, prose: bool = False) -> Iterable[str]:
    parts = re.split(r",|;|\bor\b|\band\b|\s/\s", text) if prose or "," in text else [text]
    for part in parts:
        part = part.strip().strip("`*'\".: ")
        m = re.match(r"[A-Za-z_][\w.\-]*$", part)
        if m:
            yield part


# --- bases and the JSON representation ---


def _ref_from_link(text: str, href: str) -> TypeRef | None:
    path, _, anchor = href.partition("#")
    path = path.partition("?")[0]
    if "/resources/" in path and not path.lower().endswith(".md"):
        path += ".md"  # site-absolute links: /graph/api/resources/x?view=graph-rest-1.0
    if href.startswith(("http://", "https://")) or not path.lower().endswith(".md"):
        return None
    target = path.rsplit("/", 1)[-1].lower() or None
    name = _TYPE_WORD.search(text.strip("*`[] "))
    return TypeRef(text, name.group(0) if name else None, target, anchor or None)


def _title_kind(title_kind: str) -> Kind | None:
    """The kind a title states: "x complex type" or "x entity (type)"."""
    if title_kind.startswith("complex"):
        return "complex"
    if title_kind.startswith("entity"):
        return "entity"
    return None


def _no_properties(blocks: Sequence[Block]) -> bool:
    """A "## Properties" section that says "None": the page declares a type without properties."""
    in_properties = False
    for b in blocks:
        if isinstance(b, Heading):
            in_properties = b.level == 2 and b.text.strip().lower() == "properties"
        elif in_properties and isinstance(b, Paragraph) and b.text.strip():
            return bool(_NO_PROPERTIES.match(b.text.strip()))
    return False


def _open_in_prose(blocks: Sequence[Block]) -> bool:
    """ "This is an open type" (or "It is an Open Type") in the page's prose."""
    return any(isinstance(b, Paragraph) and _OPEN_PROSE.search(b.text) for b in blocks)


@dataclass(frozen=True)
class _Placed:
    """A link with its position in its paragraph's text."""

    link: Any
    start: int
    end: int


def _placed_links(p: Paragraph) -> list[_Placed]:
    out: list[_Placed] = []
    pos = 0
    for link in p.links:
        if not link.text:
            continue
        m = re.compile(r"(?<!\w)" + re.escape(link.text) + r"(?!\w)").search(p.text, pos)
        at = m.start() if m else p.text.find(link.text, pos)
        if at < 0:
            continue
        out.append(_Placed(link, at, at + len(link.text)))
        pos = at + len(link.text)
    return out


def _sentences(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def _is_self(ref: TypeRef | None, t: _Type, source: str) -> bool:
    """Whether a link names the page's own type (by name or by pointing at this page)."""
    if ref is None:
        return False
    own = source.rsplit("/", 1)[-1].lower()
    return (ref.name or "").lower().rpartition(".")[2] == t.decl.name.lower() or ref.target == own


def _type_links(links: Iterable[_Placed], t: _Type, source: str) -> list[TypeRef]:
    """The links that may name another type: resource pages, not API pages or the page itself."""
    refs = []
    for placed in links:
        if _api_link(placed.link.href):
            continue
        ref = _ref_from_link(placed.link.text, placed.link.href)
        if ref is not None and ref.name and not _is_self(ref, t, source):
            refs.append(ref)
    return refs


def _relations_from_prose(ctx: _Ctx, blocks: Sequence[Block], t: _Type) -> None:
    """The page's own base ("Inherits from [x]") and the types it says derive from it.

    A sentence is about the page's type when it has no other subject ("Derived
    from [x].", "Inherited from [x] entity."), names the type or says "this" or
    "it"; "All the session controls inherit from [x]" (a plural subject) is
    about other types. "[a] and [b] inherit from this type" and "a subtype of
    this type, either [a] or [b]" name derived types: the page's type is their base.
    """
    source = ctx.page.source
    bases: list[Claim] = []
    derived: list[Claim] = []
    in_section = False
    for b in blocks:
        if isinstance(b, Heading):
            low = b.text.lower()
            in_section = "derived type" in low or "derived class" in low
            continue
        if in_section:
            links: tuple[Any, ...] = ()
            if isinstance(b, Table):
                links = tuple(
                    link for row in b.rows for link in (row.cells[0].links if row.cells else ())
                )
            elif isinstance(b, Paragraph):
                links = b.links
            placed = [_Placed(link, 0, 0) for link in links]
            line = b.line if isinstance(b, (Table, Paragraph)) else 1
            derived += [
                Claim(r, "derived-list", source, line) for r in _type_links(placed, t, source)
            ]
            continue
        if not isinstance(b, Paragraph) or not b.text:
            continue
        placed = _placed_links(b)
        for start, end in _sentences(b.text):
            inside = [p for p in placed if start <= p.start < end]
            found, names, opens = _sentence_relations(b.text[start:end], start, inside, t, source)
            if found is not None and not bases:
                bases.append(Claim(found, "prose", source, b.line))
            derived += [Claim(r, "derived-list", source, b.line) for r in names]
            if opens:
                in_section = True  # "Supported derived types:" and a list
    if bases:
        t.decl = replace(t.decl, bases=t.decl.bases + tuple(bases))
    if derived:
        t.decl = replace(t.decl, derived=t.decl.derived + tuple(derived))


def _sentence_relations(
    sentence: str, offset: int, links: list[_Placed], t: _Type, source: str
) -> tuple[TypeRef | None, list[TypeRef], bool]:
    """(the page's base, the derived types named, whether a list of derived types follows)."""
    derived: list[TypeRef] = []
    m = _DERIVED.search(sentence)
    if m:
        if sentence.rstrip().endswith(":"):
            return None, [], True
        derived += _type_links(_list_after(sentence, offset, links, m.end()), t, source)
    for m in _INHERITS.finditer(sentence):
        tail = sentence[m.end() :]
        first = next((p for p in links if p.start >= offset + m.end()), None)
        first_ref = _ref_from_link(first.link.text, first.link.href) if first else None
        gap = sentence[m.end() : first.start - offset] if first else tail
        others = _type_links(links, t, source)
        if _SELF_OBJECT.match(tail) or (
            others and _is_self(first_ref, t, source) and len(gap.strip()) < 12
        ):
            # "[a] and [b] inherit from this type", "a subtype of this type: [a] or [b]"
            derived += others
            continue
        if first is None or first_ref is None or len(gap) > 40:
            continue
        if _about_self(sentence[: m.start()], m.group(0), links, offset + m.start(), t):
            return first_ref, derived, False
    return None, derived, False


def _list_after(sentence: str, offset: int, links: list[_Placed], at: int) -> list[_Placed]:
    """The links of a list that starts at `at`, right away or after "such as", "for example",
    "which can be a"...: "base type for [a] and [b]", not "base class for actions in [c]"."""
    out: list[_Placed] = []
    pos = at
    for p in links:
        if p.start - offset < pos:
            continue
        gap = sentence[pos : p.start - offset].strip(" ,;:()").lower()
        if out and gap not in _LIST_SEPARATORS:
            break
        if not out and not (gap in ("", "the") or _LIST_INTRO.search(gap)):
            break
        out.append(p)
        pos = p.end - offset
    return out


def _about_self(before: str, verb: str, links: list[_Placed], verb_at: int, t: _Type) -> bool:
    """Whether the subject of an inheritance verb is the page's type."""
    words = before.lower().replace(",", " ").split()
    if any(w.startswith("propert") for w in words[-4:]):
        return True  # "The following properties are inherited from [x]": the type's own
    if words and words[-1] in ("are", "were"):
        return False  # "... resources are derived from"
    bare = verb.lower().split()[0] in ("inherit", "derive")
    if bare and words and words[-1] not in _MODALS:
        return False  # "All the session controls inherit from [x]"
    if t.decl.name.lower() in before.lower():
        return True
    # "[x] is derived from [y]": another type's link right before the verb is its subject.
    return not any(0 <= verb_at - p.end < 25 for p in links)


def _base_from_rows(ctx: _Ctx, blocks: Sequence[Block], t: _Type) -> None:
    """A base stated only in the property rows: "Inherited from [x]" in most rows' descriptions."""
    if t.decl.bases:
        return
    rows = 0
    found: dict[str, list[tuple[TypeRef, int]]] = {}
    for b in blocks:
        if not isinstance(b, Table) or not _property_table(b):
            continue
        head = _head(b.header)
        desc_col = next((i for i, h in enumerate(head) if h.startswith("desc")), len(head) - 1)
        for row in b.rows:
            if len(row.cells) <= desc_col or not row.cells[0].text.strip():
                continue
            rows += 1
            cell = row.cells[desc_col]
            m = re.search(r"\binherited\s+from\b", cell.text, re.I)
            if m is None:
                continue
            tail = cell.text[m.end() :]
            for link in cell.links:
                if link.text and 0 <= tail.find(link.text) < 20:
                    ref = _ref_from_link(link.text, link.href)
                    if ref is not None and ref.name:
                        found.setdefault(ref.name.lower(), []).append((ref, row.line))
                    break
    if not found:
        return
    best = max(sorted(found), key=lambda k: len(found[k]))
    ref, line = found[best][0]
    mostly = len(found[best]) >= 2 and 2 * len(found[best]) > rows
    if mostly and not _is_self(ref, t, ctx.page.source):
        t.decl = replace(t.decl, bases=(Claim(ref, "rows", ctx.page.source, line),))


def _addressable(blocks: Sequence[Block]) -> bool:
    """A Methods table linking to API pages: the service addresses this type."""
    headings: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            headings.append(b.text.lower())
        elif isinstance(b, Table) and headings and "method" in headings[-1]:
            if any(
                "/api/" in link.href or link.href.startswith("../api")
                for row in b.rows
                for c in row.cells[:1]
                for link in c.links
            ):
                return True
    return False


def _methods(blocks: Sequence[Block]) -> tuple[MethodDecl, ...]:
    """Rows of Methods / Functions tables that return a linked type."""
    out: list[MethodDecl] = []
    for b in blocks:
        if not isinstance(b, Table):
            continue
        head = _head(b.header)
        if not head or head[0] not in ("method", "methods", "function", "functions"):
            continue
        returns = [i for i, h in enumerate(head) if "return" in h and "type" in h]
        if not returns:
            continue
        ret = next((i for i in returns if "json" in head[i]), returns[-1])
        desc = next((i for i, h in enumerate(head) if h.startswith("desc")), None)
        for row in b.rows:
            if ret >= len(row.cells) or not row.cells[ret].links:
                continue
            ref = parse_type_cell(row.cells[ret])
            text = row.cells[desc].text if desc is not None and desc < len(row.cells) else ""
            if ref.name and ref.target:
                out.append(MethodDecl(row.cells[0].text, ref, text, row.line))
    return tuple(out)


def _props_from_json(ctx: _Ctx, blocks: Sequence[Block], t: _Type) -> None:
    """Add the JSON representation's keys that the tables miss."""
    start = next(
        (i for i, b in enumerate(blocks) if isinstance(b, Comment) and b.line == t.json_line), None
    )
    code: Code | None = None
    if start is not None:
        for b in blocks[start + 1 : start + 4]:
            if isinstance(b, Code):
                code = b
                break
    if code is None or not code.content.strip().startswith("{") or t.decl.open:
        return  # an open type's JSON keys are examples of dynamic properties
    parsed = lenient.loads(code.content)
    if not isinstance(parsed.value, dict):
        ctx.warn(code.line, "DG401", f"JSON representation is not valid JSON: {parsed.error}")
        return
    _same_in_other_case(ctx, t, parsed.value)
    _compare_with_json(ctx, t, parsed.value, code)
    _json_examples(t, parsed.value)
    # Keys are matched case-insensitively: `"Id"` in the JSON is the table's `id`.
    known = {p.name.lower() for p in t.props}
    key_lines = _key_lines(code.content)
    for offset, key in enumerate(parsed.value):
        if key.lower() in known or not _JSON_KEY.fullmatch(key):
            continue
        known.add(key.lower())
        ref = json_type_hint(parsed.value[key])
        line = code.line + 1 + key_lines.get(key, offset)
        t.props.append(
            PropertyDecl(key, ref, False, "", line, from_json=True, source=ctx.page.source)
        )


def _compare_with_json(ctx: _Ctx, t: _Type, body: dict[str, Any], code: Code) -> None:
    """Table rows the JSON representation leaves out (DG403) or types differently (DG404).

    Relationships are left out of JSON representations by convention and are
    not checked. A key that differs from its row only in case is the row's
    (see `_same_in_other_case`).
    """
    lower = {k.lower(): k for k in body}
    for p in t.props:
        if p.navigation or p.from_json:
            continue
        key = p.name if p.name in body else lower.get(p.name.lower())
        if key is None:
            ctx.warn(
                p.line,
                "DG403",
                f"property {p.name!r} is in the table but not in the JSON representation"
                f" (line {code.line})",
            )
            continue
        why = _json_mismatch(p.type, json_type_hint(body[key]), body[key])
        if why:
            ctx.warn(p.line, "DG404", f"property {p.name!r}: {why}")


def _same_in_other_case(ctx: _Ctx, t: _Type, body: dict[str, Any]) -> None:
    """A JSON key that differs from a table row only in case is that row's property.

    The table's spelling wins unless it breaks Graph's camelCase convention
    where the key keeps it (`printerID` against `printerId`, `UnsubscribeData`
    against `unsubscribeData`).
    """
    lower = {k.lower(): k for k in body}
    for i, p in enumerate(t.props):
        key = lower.get(p.name.lower())
        if key is None or key == p.name or p.from_json or p.navigation:
            continue
        name = key if _camel(key) and not _camel(p.name) else p.name
        ctx.warn(
            p.line,
            "DG210",
            f"property {p.name!r} is spelled {key!r} in the JSON representation: "
            f"one property, named {name!r}",
        )
        t.props[i] = replace(p, name=name)


def _camel(name: str) -> bool:
    """camelCase as Graph writes it: a lower-case start, no run of capitals (`ID`)."""
    return name[:1].islower() and re.search(r"[A-Z]{2}", name) is None


def _json_examples(t: _Type, body: dict[str, Any]) -> None:
    """Keep a row's JSON value where it joins several values with commas
    (`"apps,tabs"`): the sign of a flags enum, checked in resolve."""
    lower = {k.lower(): k for k in body}
    for i, p in enumerate(t.props):
        key = lower.get(p.name.lower())
        value = body.get(key) if key is not None else None
        if isinstance(value, list) and len(value) == 1:
            value = value[0]
        if isinstance(value, str) and "," in value and "|" not in value:
            t.props[i] = replace(p, example=value)


_INTEGERS = {"Edm.Byte", "Edm.SByte", "Edm.Int16", "Edm.Int32", "Edm.Int64"}
_NUMBERS = _INTEGERS | {"Edm.Single", "Edm.Double", "Edm.Decimal"}


def _json_mismatch(table: TypeRef, hint: TypeRef, value: Any) -> str | None:
    """Why the table's type and the JSON placeholder disagree, or None.

    Only clear disagreements count: a collection against a single value, an
    object against a primitive, or two primitives of different families.
    JSON placeholders are loose (`"String"` for an enum or a date, `1024` for
    any integer, a derived type's `@odata.type` for its base), so those are
    not reported.
    """
    inner = value[0] if isinstance(value, list) and value else value
    if inner is None or (isinstance(inner, str) and ("|" in inner or " or " in inner)):
        return None
    odata = inner.get("@odata.type") if isinstance(inner, dict) else None
    collection = hint.collection or (
        isinstance(odata, str) and odata.lower().startswith("collection(")
    )
    shown = f"table says {table.text!r}, JSON says {json.dumps(value)[:60]}"
    if table.collection != collection:
        return f"collection differs: {shown}"
    t_prim = edm.primitive(table.name or "") if table.target is None else None
    h_prim = edm.primitive(hint.name or "")
    if t_prim is None or t_prim == "Edm.Untyped":
        return None  # a named type (or JSON) in the table: JSON examples may be derived types
    if isinstance(inner, dict):
        named = isinstance(odata, str) and h_prim is None
        return f"an object in JSON, a primitive in the table: {shown}" if named else None
    if isinstance(inner, (bool, int, float)):
        family = {"Edm.Boolean"} if isinstance(inner, bool) else _NUMBERS
        return None if t_prim in family else f"different types: {shown}"
    if h_prim is None or h_prim == "Edm.String" or h_prim == t_prim:
        return None  # "String" stands for many wire types (dates, GUIDs, enums)
    if h_prim in _NUMBERS and t_prim in _NUMBERS:
        return None
    return f"different types: {shown}"


def _key_lines(content: str) -> dict[str, int]:
    """The line (from 0) where each quoted name first appears, in one pass (not one per key)."""
    found: dict[str, int] = {}
    line, counted = 0, 0
    for m in _QUOTED_NAME.finditer(content):
        if m.group(1) not in found:
            line += content.count("\n", counted, m.start())
            counted = m.start()
            found[m.group(1)] = line
    return found


_QUOTED_NAME = re.compile(r'"([A-Za-z_][A-Za-z0-9_]*)"')


def json_type_hint(value: Any) -> TypeRef:
    """The type a JSON representation's placeholder value stands for."""
    if isinstance(value, list):  # nested lists unwrapped in a loop: any depth
        depth = 0
        while isinstance(value, list) and value:
            depth += 1
            value = value[0]
        if isinstance(value, list):  # an empty list at the bottom
            depth += 1
            inner = TypeRef("[]", "String")
        else:
            inner = json_type_hint(value)
        return replace(inner, collection=True, text="[" * depth + inner.text + "]" * depth)
    if isinstance(value, dict):
        odata = value.get("@odata.type") or value.get("@type")
        if isinstance(odata, str):
            return TypeRef(odata, odata.lstrip("#"))
        return TypeRef("{}", "Untyped")
    if isinstance(value, bool):
        return TypeRef(str(value), "Boolean")
    if isinstance(value, int):
        return TypeRef(str(value), "Int32")
    if isinstance(value, float):
        return TypeRef(str(value), "Double")
    if isinstance(value, str):
        hint = re.search(r"\(\s*([A-Za-z]+)\s*\)", value)
        if hint and hint.group(1).lower() in ("timestamp", "datetime", "guid", "date", "duration"):
            return TypeRef(value, hint.group(1), collection="collection" in value.lower())
        m = _TYPE_WORD.search(value.replace("Collection(", " "))
        return TypeRef(
            value, m.group(0) if m else "String", collection="collection" in value.lower()
        )
    return TypeRef("null", "String")
