"""Semantic diff of two resolved models, and its JSON, text and markdown forms.

The JSON form is a fixed contract (DESIGN.md, "Semantic diff as JSON"). The
people's forms say the same: breaking changes first, grouped by type, each
with the page and line to read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
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
    return sorted(changes, key=Change.sort_key)


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


def summary(changes: list[Change]) -> str:
    breaking = sum(c.breaking for c in changes)
    types = len({c.type for c in changes})
    return (
        f"{len(changes)} change(s) in {types} type(s): "
        f"{breaking} breaking, {len(changes) - breaking} not breaking"
    )


def describe(c: Change) -> str:
    """One change in words, without its type or place."""
    what = c.change.replace("_", " ")
    if c.change in ("property_added", "property_removed"):
        return f"{what}: {c.member} ({c.old or c.new})"
    if c.change in ("property_type_changed", "navigation_changed", "python_name_changed"):
        return f"{what}: {c.member}: {c.old} -> {c.new}"
    if c.change in ("base_changed", "kind_changed"):
        return f"{what}: {c.old or '(none)'} -> {c.new or '(none)'}"
    if c.member is not None:
        return f"{what}: {c.member}"
    return what


def _grouped(changes: list[Change]) -> list[tuple[str, list[Change]]]:
    """(heading, changes by type) for breaking changes, then the others."""
    out: list[tuple[str, list[Change]]] = []
    for heading, flag in (("Breaking changes", True), ("Other changes", False)):
        chosen = [c for c in changes if c.breaking == flag]
        if chosen:
            out.append((heading, chosen))
    return out


def _by_type(changes: list[Change]) -> dict[str, list[Change]]:
    groups: dict[str, list[Change]] = {}
    for c in changes:
        groups.setdefault(c.type, []).append(c)
    return groups


def to_text(changes: list[Change]) -> str:
    if not changes:
        return "No semantic changes.\n"
    lines = [summary(changes)]
    for heading, chosen in _grouped(changes):
        lines += ["", f"{heading} ({len(chosen)}):"]
        for type_name, group in _by_type(chosen).items():
            lines.append(f"  {type_name}")
            lines += [f"    {describe(c)}  [{c.source}:{c.line}]" for c in group]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Text safe inside a markdown table cell and inline code."""
    return text.replace("|", "\\|").replace("`", "'").replace("\n", " ")


# GitHub refuses comments over 65,536 characters; stay well below.
MARKDOWN_LIMIT = 60_000


def _rows(changes: list[Change]) -> list[str]:
    rows: list[str] = []
    for type_name, group in _by_type(changes).items():
        for i, c in enumerate(group):
            cells = [
                f"`{_md(type_name)}`" if i == 0 else "",
                c.change.replace("_", " "),
                f"`{_md(c.member)}`" if c.member else "",
                f"`{_md(c.old)}`" if c.old else "",
                f"`{_md(c.new)}`" if c.new else "",
                f"`{_md(c.source)}:{c.line}`",
            ]
            rows.append("| " + " | ".join(cells) + " |")
    return rows


def to_markdown(changes: list[Change], limit: int = MARKDOWN_LIMIT) -> str:
    """A report for a pull-request comment, cut (with a count) to `limit` characters.

    One table per section: breaking changes, then the others (folded); rows
    are grouped by type, the type named on its group's first row.
    """
    title = "### docgen diff"
    if not changes:
        return f"{title}\n\nNo semantic changes.\n"
    lines = [title, "", f"**{summary(changes)}**"]
    budget = limit - 200  # room for the note on what was cut
    size = sum(len(line) + 1 for line in lines)
    shown = 0
    for heading, chosen in _grouped(changes):
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
        rows = _rows(chosen)
        kept: list[str] = []
        for row in rows:
            if size + fixed + len(row) + 1 > budget:
                break
            kept.append(row)
            size += len(row) + 1
        if kept:
            lines += opening + kept + closing
            size += fixed
            shown += len(kept)
        if len(kept) < len(rows):
            break
    if shown < len(changes):
        lines += [
            "",
            f"_... {len(changes) - shown} more change(s) not shown; "
            "run `docgen diff` for the full list._",
        ]
    return "\n".join(lines) + "\n"
