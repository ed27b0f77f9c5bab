"""Semantic diff of two resolved models, and its JSON, text and markdown forms.

The JSON form is a fixed contract (docs/contracts.md). The people's forms say
the same, for a reader: breaking changes first, grouped by type, each with the
page and line to read; type names shortened to what is unique; an enum docgen
named after a property shown as changes of that property.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal

from .model import Model, Property, TypeDef

DIFF_VERSION = 1

ChangeKind = Literal[
    "type_added",
    "type_removed",
    "property_added",
    "property_removed",
    "property_type_changed",
    "navigation_changed",
    "base_changed",
    "kind_changed",
    "enum_member_added",
    "enum_member_removed",
    "python_name_changed",
]

# Removals and changes of shape break code built on the old models; additions
# do not. A navigation flip keeps the generated field and its type.
BREAKING: dict[str, bool] = {
    "type_added": False,
    "type_removed": True,
    "property_added": False,
    "property_removed": True,
    "property_type_changed": True,
    "navigation_changed": False,
    "base_changed": True,
    "kind_changed": True,
    "enum_member_added": False,
    "enum_member_removed": True,
    # The same wire name under another Python name: `obj.old` is gone or,
    # worse, now reads another wire key.
    "python_name_changed": True,
}

# Order of changes within one type: whole-type changes, then members.
_ORDER = {
    kind: i
    for i, kind in enumerate(
        (
            "type_removed",
            "type_added",
            "kind_changed",
            "base_changed",
            "property_removed",
            "property_type_changed",
            "navigation_changed",
            "property_added",
            "python_name_changed",
            "enum_member_removed",
            "enum_member_added",
        )
    )
}


@dataclass(frozen=True)
class Change:
    change: ChangeKind
    type: str  # qualified type name
    member: str | None  # property or enum member; None for the whole type
    old: str | None
    new: str | None
    source: str  # the page to read: the new tree's, or the old tree's for a removal
    line: int
    # For a change of an enum docgen named after a property (TypeDef.implied_by):
    # (owner type, property). The people's forms show it as the property's; not in JSON.
    implied_by: tuple[str, str] | None = None

    @property
    def breaking(self) -> bool:
        return BREAKING[self.change]

    def sort_key(self) -> tuple[str, int, str, str]:
        return (
            self.type.lower(),
            _ORDER[self.change],
            (self.member or "").lower(),
            self.member or "",
        )


def _shape(p: Property) -> str:
    return f"Collection({p.type})" if p.collection else p.type


def _page(t: TypeDef, p: Property) -> str:
    return p.source or t.source


def _role(p: Property) -> str:
    return "navigation" if p.navigation else "structural"


def diff_models(old: Model, new: Model) -> list[Change]:
    """Every change from `old` to `new`, sorted by type, then change, then member."""
    before, after = old.by_qualified(), new.by_qualified()
    changes: list[Change] = []
    for name in sorted(before.keys() - after.keys()):
        t = before[name]
        changes.append(Change("type_removed", name, None, None, None, t.source, t.line))
    for name in sorted(after.keys() - before.keys()):
        t = after[name]
        changes.append(Change("type_added", name, None, None, None, t.source, t.line))
    for name in sorted(before.keys() & after.keys()):
        changes += _type_changes(
            before[name], after[name], _inherited(before, name), _inherited(after, name)
        )
    marked = []
    for c in changes:
        first, second = (before, after) if c.change == "type_removed" else (after, before)
        declared = first.get(c.type) or second.get(c.type)
        implied = declared.implied_by if declared is not None else None
        marked.append(replace(c, implied_by=implied) if implied else c)
    return sorted(marked, key=Change.sort_key)


def _inherited(types: dict[str, TypeDef], name: str) -> dict[str, Property]:
    """Properties a type gets from its bases (nearest base wins; cycles stop)."""
    found: dict[str, Property] = {}
    seen = {name}
    base = types[name].base
    while base is not None and base in types and base not in seen:
        seen.add(base)
        for p in types[base].properties:
            found.setdefault(p.name, p)
        base = types[base].base
    return found


def _type_changes(
    a: TypeDef, b: TypeDef, a_inherited: dict[str, Property], b_inherited: dict[str, Property]
) -> Iterable[Change]:
    """Changes of one type. A property that moves between the type and a base
    (because the base changed) is no change to the class users see: only
    `base_changed` reports it, unless its type changed on the way."""
    name = b.qualified
    if a.kind != b.kind:
        yield Change("kind_changed", name, None, a.kind, b.kind, b.source, b.line)
    if a.kind != "enum" and b.kind != "enum" and a.base != b.base:
        yield Change("base_changed", name, None, a.base, b.base, b.source, b.line)

    old_members = {m.name: m for m in a.members}
    new_members = {m.name: m for m in b.members}
    for m in sorted(old_members.keys() - new_members.keys()):
        yield Change("enum_member_removed", name, m, None, None, a.source, a.line)
    for m in sorted(new_members.keys() - old_members.keys()):
        yield Change("enum_member_added", name, m, None, None, b.source, b.line)
    for m in sorted(old_members.keys() & new_members.keys()):
        if old_members[m].py_name != new_members[m].py_name:
            old_py, new_py = old_members[m].py_name, new_members[m].py_name
            yield Change("python_name_changed", name, m, old_py, new_py, b.source, b.line)

    old_props = {p.name: p for p in a.properties}
    new_props = {p.name: p for p in b.properties}
    for p in sorted(old_props.keys() - new_props.keys()):
        was = old_props[p]
        if p in b_inherited:  # now inherited from a base
            if _shape(was) != _shape(b_inherited[p]):
                now = b_inherited[p]
                yield Change(
                    "property_type_changed",
                    name,
                    p,
                    _shape(was),
                    _shape(now),
                    now.source or b.source,
                    now.line,
                )
            continue
        yield Change("property_removed", name, p, _shape(was), None, _page(a, was), was.line)
    for p in sorted(new_props.keys() - old_props.keys()):
        now = new_props[p]
        if p in a_inherited:  # was inherited, now the type's own
            if _shape(a_inherited[p]) != _shape(now):
                was = a_inherited[p]
                yield Change(
                    "property_type_changed",
                    name,
                    p,
                    _shape(was),
                    _shape(now),
                    _page(b, now),
                    now.line,
                )
            continue
        yield Change("property_added", name, p, None, _shape(now), _page(b, now), now.line)
    for p in sorted(old_props.keys() & new_props.keys()):
        was, now = old_props[p], new_props[p]
        if _shape(was) != _shape(now):
            yield Change(
                "property_type_changed", name, p, _shape(was), _shape(now), _page(b, now), now.line
            )
        if was.navigation != now.navigation:
            yield Change(
                "navigation_changed", name, p, _role(was), _role(now), _page(b, now), now.line
            )
        if was.py_name != now.py_name:
            yield Change(
                "python_name_changed", name, p, was.py_name, now.py_name, _page(b, now), now.line
            )


def to_json(changes: list[Change]) -> str:
    data: dict[str, Any] = {
        "version": DIFF_VERSION,
        "changes": [
            {
                "change": c.change,
                "type": c.type,
                "member": c.member,
                "old": c.old,
                "new": c.new,
                "breaking": c.breaking,
                "source": c.source,
                "line": c.line,
            }
            for c in changes
        ],
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


MARKER = "<!-- docgen-diff -->"  # opens the markdown report: CI finds its comment by it


@dataclass(frozen=True)
class Sides:
    """What the people's forms say besides the changes: the two trees as the user
    named them, and every qualified type name in either (a name is shortened to the
    shortest dotted suffix no other type shares)."""

    old: str = "OLD"
    new: str = "NEW"
    names: frozenset[str] = frozenset()


def short_names(names: Iterable[str]) -> dict[str, str]:
    """Each qualified name -> its shortest dotted suffix that no other name ends with
    (letter case ignored: docgen links names case-insensitively)."""
    full = sorted(set(names))
    count: Counter[str] = Counter()
    for q in full:
        parts = q.split(".")
        count.update(".".join(parts[i:]).lower() for i in range(len(parts)))
    out: dict[str, str] = {}
    for q in full:
        parts = q.split(".")
        suffixes = (".".join(parts[i:]) for i in range(len(parts) - 1, -1, -1))
        out[q] = next((x for x in suffixes if count[x.lower()] == 1), q)
    return out


@dataclass(frozen=True)
class _Row:
    """One change as a reader sees it."""

    type: str  # the (shortened) type it is listed under
    label: str
    member: str | None
    old: str | None
    new: str | None
    change: Change

    @property
    def breaking(self) -> bool:
        return self.change.breaking


# An implied enum's changes, as changes of its property: label, and whether the
# member goes in the old or new column.
_IMPLIED: dict[str, tuple[str, str | None]] = {
    "type_added": ("values listed", None),
    "type_removed": ("values no longer listed", None),
    "enum_member_added": ("value added", "new"),
    "enum_member_removed": ("value removed", "old"),
}


def _rows_for(changes: list[Change], sides: Sides | None) -> list[_Row]:
    names = set(sides.names if sides else ()) | {c.type for c in changes}
    names |= {c.implied_by[0] for c in changes if c.implied_by}
    short = short_names(names)

    def value(v: str | None) -> str | None:
        if v is not None and v.startswith("Collection(") and v.endswith(")"):
            return f"Collection({value(v[len('Collection(') : -1])})"
        return short.get(v, v) if v is not None else None

    rows: list[tuple[tuple[str, int, str, str], _Row]] = []
    for c in changes:
        if c.implied_by is None:
            row = _Row(
                short[c.type], c.change.replace("_", " "), c.member, value(c.old), value(c.new), c
            )
            order = _ORDER[c.change]
        else:
            owner, prop = c.implied_by
            label, column = _IMPLIED.get(c.change, (c.change.replace("_", " "), None))
            old = c.member if column == "old" else None
            new = c.member if column == "new" else None
            if c.change not in _IMPLIED:
                old, new = value(c.old), value(c.new)
            row = _Row(short[owner], label, prop, old, new, c)
            order = len(_ORDER) + _ORDER[c.change]  # after the type's own changes
        rows.append(((row.type.lower(), order, (row.member or "").lower(), c.member or ""), row))
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


def _summary(rows: list[_Row]) -> str:
    breaking = sum(r.breaking for r in rows)
    types = len({r.type for r in rows})
    return (
        f"{len(rows)} change(s) in {types} type(s): "
        f"{breaking} breaking, {len(rows) - breaking} not breaking"
    )


def _describe(r: _Row) -> str:
    """One change in words, without its type or place."""
    kind = r.change.change
    if r.change.implied_by and kind in _IMPLIED:
        return f"{r.label}: {r.member}" + (f": {r.old or r.new}" if r.old or r.new else "")
    if kind in ("property_added", "property_removed"):
        return f"{r.label}: {r.member} ({r.old or r.new})"
    if kind in (
        "property_type_changed",
        "navigation_changed",
        "python_name_changed",
        "base_changed",
        "kind_changed",
    ):
        change = f"{r.old or '(none)'} -> {r.new or '(none)'}"
        return f"{r.label}: {r.member}: {change}" if r.member else f"{r.label}: {change}"
    if r.member is not None:
        return f"{r.label}: {r.member}"
    return r.label


def _grouped(rows: list[_Row]) -> list[tuple[str, list[_Row]]]:
    """(heading, rows) for breaking changes, then the others."""
    out: list[tuple[str, list[_Row]]] = []
    for heading, flag in (("Breaking changes", True), ("Other changes", False)):
        chosen = [r for r in rows if r.breaking == flag]
        if chosen:
            out.append((heading, chosen))
    return out


def _by_type(rows: list[_Row]) -> dict[str, list[_Row]]:
    groups: dict[str, list[_Row]] = {}
    for r in rows:
        groups.setdefault(r.type, []).append(r)
    return groups


def to_text(changes: list[Change], sides: Sides | None = None) -> str:
    if not changes:
        return "No semantic changes.\n"
    rows = _rows_for(changes, sides)
    lines = [_summary(rows)]
    for heading, chosen in _grouped(rows):
        lines += ["", f"{heading} ({len(chosen)}):"]
        for type_name, group in _by_type(chosen).items():
            lines.append(f"  {type_name}")
            lines += [f"    {_describe(r)}  [{r.change.source}:{r.change.line}]" for r in group]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Text safe inside a markdown table cell and inline code."""
    return text.replace("|", "\\|").replace("`", "'").replace("\n", " ")


# GitHub refuses comments over 65,536 characters; stay well below.
MARKDOWN_LIMIT = 60_000


def _table_rows(rows: list[_Row]) -> list[str]:
    out: list[str] = []
    for type_name, group in _by_type(rows).items():
        for i, r in enumerate(group):
            cells = [
                f"`{_md(type_name)}`" if i == 0 else "",
                r.label,
                f"`{_md(r.member)}`" if r.member else "",
                f"`{_md(r.old)}`" if r.old else "",
                f"`{_md(r.new)}`" if r.new else "",
                f"`{_md(r.change.source)}:{r.change.line}`",
            ]
            out.append("| " + " | ".join(cells) + " |")
    return out


def to_markdown(
    changes: list[Change], limit: int = MARKDOWN_LIMIT, sides: Sides | None = None
) -> str:
    """A report for a pull-request comment, cut (with a count) to `limit` characters.

    It opens with MARKER, so a CI job can find its earlier comment and update it,
    and a heading naming the two trees compared. One table per section: breaking
    changes, then the others (folded); rows are grouped by type, the type named on
    its group's first row.
    """
    old, new = (sides.old, sides.new) if sides else ("OLD", "NEW")
    title = f"### docgen diff: `{_md(old)}` → `{_md(new)}`"
    if not changes:
        return f"{MARKER}\n{title}\n\nNo semantic changes.\n"
    rows = _rows_for(changes, sides)
    lines = [MARKER, title, "", f"**{_summary(rows)}**"]
    budget = limit - 200  # room for the note on what was cut
    size = sum(len(line) + 1 for line in lines)
    shown = 0
    for heading, chosen in _grouped(rows):
        folded = heading != "Breaking changes"
        top = (
            f"<details><summary>{heading} ({len(chosen)})</summary>"
            if folded
            else (f"#### {heading} ({len(chosen)})")
        )
        opening = ["", top, "", "| type | change | member | old | new | where |"]
        opening.append("| --- | --- | --- | --- | --- | --- |")
        closing = ["", "</details>"] if folded else []
        fixed = sum(len(x) + 1 for x in opening + closing)
        table = _table_rows(chosen)
        kept: list[str] = []
        for line in table:
            if size + fixed + len(line) + 1 > budget:
                break
            kept.append(line)
            size += len(line) + 1
        if kept:
            lines += opening + kept + closing
            size += fixed
            shown += len(kept)
        if len(kept) < len(table):
            break
    if shown < len(rows):
        lines += [
            "",
            f"_... {len(rows) - shown} more change(s) not shown; "
            "run `docgen diff` for the full list._",
        ]
    return "\n".join(lines) + "\n"
