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
        changes += _type_changes(before[name], after[name])
    return sorted(changes, key=Change.sort_key)


def _type_changes(a: TypeDef, b: TypeDef) -> Iterable[Change]:
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

    old_props = {p.name: p for p in a.properties}
    new_props = {p.name: p for p in b.properties}
    for p in sorted(old_props.keys() - new_props.keys()):
        was = old_props[p]
        yield Change("property_removed", name, p, _shape(was), None, a.source, was.line)
    for p in sorted(new_props.keys() - old_props.keys()):
        now = new_props[p]
        yield Change("property_added", name, p, None, _shape(now), b.source, now.line)
    for p in sorted(old_props.keys() & new_props.keys()):
        was, now = old_props[p], new_props[p]
        if _shape(was) != _shape(now):
            yield Change(
                "property_type_changed", name, p, _shape(was), _shape(now), b.source, now.line
            )
        if was.navigation != now.navigation:
            yield Change("navigation_changed", name, p, _role(was), _role(now), b.source, now.line)


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
    if c.change in ("property_type_changed", "navigation_changed"):
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


def to_markdown(changes: list[Change], limit: int = MARKDOWN_LIMIT) -> str:
    """A report for a pull-request comment, cut (with a count) to `limit` characters."""
    title = "### docgen diff"
    if not changes:
        return f"{title}\n\nNo semantic changes.\n"
    head = [title, "", f"**{summary(changes)}**"]
    body: list[tuple[str, int]] = []  # (line, changes it accounts for)
    for heading, chosen in _grouped(changes):
        body.append(("", 0))
        body.append((f"#### {heading} ({len(chosen)})", 0))
        for type_name, group in _by_type(chosen).items():
            body.append(("", 0))
            body.append((f"**`{_md(type_name)}`**", 0))
            body.append(("", 0))
            body.append(("| change | member | old | new | where |", 0))
            body.append(("| --- | --- | --- | --- | --- |", 0))
            for c in group:
                cells = [
                    c.change.replace("_", " "),
                    f"`{_md(c.member)}`" if c.member else "",
                    f"`{_md(c.old)}`" if c.old else "",
                    f"`{_md(c.new)}`" if c.new else "",
                    f"`{_md(c.source)}:{c.line}`",
                ]
                body.append(("| " + " | ".join(cells) + " |", 1))
    size = sum(len(line) + 1 for line in head)
    kept: list[str] = []
    shown = 0
    for line, count in body:
        if size + len(line) + 1 > limit - 200:
            kept += [
                "",
                f"_... {len(changes) - shown} more change(s) not shown; run "
                "`docgen diff` for the full list._",
            ]
            break
        kept.append(line)
        size += len(line) + 1
        shown += count
    return "\n".join(head + kept) + "\n"
