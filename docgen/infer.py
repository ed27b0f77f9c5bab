"""Settle each type's base and kind from local evidence, by named rules in order of strength.

A page can change only the types it declares and those that depend on it: no
rule counts anything across the tree. The evidence, strongest first:

1. `annotation`: the page's resource annotation (`baseType`, `keyProperty`);
2. `prose`: the page's own prose ("Inherits from [x]") or title ("x complex type");
3. `rows`: a base named in most property rows ("Inherited from [x]");
4. `derived-list`: a base page naming the type among its derived types;
5. conventions: a relationship's target or a type with API operations is an
   entity; an entity page that names no base derives from the root entity
   (`microsoft.graph.entity`, or `[tool.docgen] root-entity`).

Where two claims disagree, a claim that names a more derived type refines one
that names its ancestor; otherwise the weaker claim gives way, with a warning
naming both pages. An inheritance cycle loses its weakest link, with a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .model import DEFAULT_ROOT_ENTITY, Claim, Kind, TypeDecl, TypeRef

# Claim rules from strongest to weakest; a lower rank wins a contradiction.
RULES = ("annotation", "prose", "rows", "derived-list")
_RANK = {rule: i for i, rule in enumerate(RULES)}

Warn = Callable[[str, int, str, str], None]  # (path, line, code, message)
Lookup = Callable[[TypeRef, str], str | None]  # (reference, namespace) -> qualified name


@dataclass(frozen=True)
class Subject:
    """What inference needs to know of one structured type (merged over its pages)."""

    decl: TypeDecl
    bases: tuple[Claim, ...]  # claims the type's own pages make
    derived: tuple[Claim, ...]  # types its pages say derive from it
    own_props: frozenset[str]  # lower-cased names of its own properties


@dataclass(frozen=True)
class _Found:
    """A claim that `child` derives from `parent` (keys: lower-cased qualified names)."""

    child: str
    parent: str
    claim: Claim

    @property
    def order(self) -> tuple[int, str, int]:
        return (_RANK.get(self.claim.rule, len(RULES)), self.claim.source, self.claim.line)


def _where(c: Claim) -> str:
    return f"{c.source}:{c.line} ({c.rule})"


# --- bases ---


def bases(
    subjects: Mapping[str, Subject],
    lookup: Lookup,
    suggest: Callable[[str], str | None],
    warn: Warn,
    root_entity: str = DEFAULT_ROOT_ENTITY,
) -> dict[str, str | None]:
    """Each type's direct base (qualified, canonical spelling) from the claims alone."""
    found = _claims(subjects, lookup, suggest, warn)
    provisional = {k: min(fs, key=lambda f: f.order).parent for k, fs in found.items() if fs}
    root = root_entity.lower()
    if root in subjects:  # the convention: a type that names no base derives from the root
        above = set(ancestors(root, provisional)) | {root}
        provisional.update({k: root for k in subjects if k not in above and k not in provisional})
    chosen: dict[str, _Found | None] = {}
    for key in sorted(subjects):
        chosen[key] = _choose(key, found.get(key, []), provisional, subjects, warn)
    _break_cycles(chosen, subjects, warn)
    return {k: (subjects[f.parent].decl.qualified if f else None) for k, f in chosen.items()}


def _claims(
    subjects: Mapping[str, Subject],
    lookup: Lookup,
    suggest: Callable[[str], str | None],
    warn: Warn,
) -> dict[str, list[_Found]]:
    """Every claim resolved to declared types; what cannot be is reported and dropped."""
    found: dict[str, list[_Found]] = {k: [] for k in subjects}
    for key in sorted(subjects):
        s = subjects[key]
        for c in s.bases:
            got = lookup(c.ref, s.decl.namespace)
            if got is None:
                hint = suggest((c.ref.name or "").rpartition(".")[2])
                extra = f" (did you mean {hint}?)" if hint else ""
                warn(
                    c.source,
                    c.line,
                    "DG502",
                    f"base type {c.ref.text!r} of {s.decl.qualified} is not declared{extra}; "
                    "ignored",
                )
            elif got.lower() == key:
                warn(
                    c.source,
                    c.line,
                    "DG505",
                    f"{s.decl.qualified} names itself as its base type; ignored",
                )
            elif got.lower() in subjects:  # an enum is no base
                found[key].append(_Found(key, got.lower(), c))
        for c in s.derived:
            got = lookup(c.ref, s.decl.namespace)
            if got is not None and got.lower() != key and got.lower() in subjects:
                found[got.lower()].append(_Found(got.lower(), key, c))
    return found


def _descends(child: str, ancestor: str, parents: Mapping[str, str]) -> bool:
    """Whether `child`'s chain of provisional parents reaches `ancestor`."""
    seen = {child}
    cur = parents.get(child)
    while cur is not None and cur not in seen:
        if cur == ancestor:
            return True
        seen.add(cur)
        cur = parents.get(cur)
    return False


def _choose(
    key: str,
    claims: list[_Found],
    provisional: Mapping[str, str],
    subjects: Mapping[str, Subject],
    warn: Warn,
) -> _Found | None:
    """The strongest claim, refined by any claim naming a type derived from it."""
    if not claims:
        return None
    ordered = sorted(claims, key=lambda f: f.order)
    best = ordered[0]
    name = subjects[key].decl.qualified
    for f in ordered[1:]:
        if f.parent == best.parent:
            continue
        a, b = subjects[best.parent].decl.qualified, subjects[f.parent].decl.qualified
        same_page = f.claim.source == best.claim.source
        refines = _descends(f.parent, best.parent, provisional) and not _descends(
            f.parent, key, provisional
        )
        if refines or _descends(best.parent, f.parent, provisional):
            if same_page:  # a claim naming a more derived type refines the other: they agree
                derived, base = (b, a) if refines else (a, b)
                warn(
                    f.claim.source,
                    f.claim.line,
                    "DG503",
                    f"the page names different bases for {name}: {a} ({best.claim.rule}) and "
                    f"{b} ({f.claim.rule}); {derived} derives from {base}, "
                    f"so {derived} is the base",
                )
            if refines:
                best = f
        else:
            code = "DG503" if same_page else "DG506"
            warn(
                f.claim.source,
                f.claim.line,
                code,
                f"contradicting bases for {name}: {_where(best.claim)} says {a}, "
                f"{_where(f.claim)} says {b}; keeping {a} (the stronger or first claim)",
            )
    return best


def _break_cycles(
    chosen: dict[str, _Found | None], subjects: Mapping[str, Subject], warn: Warn
) -> None:
    """Drop the weakest claim of each inheritance cycle; the rest of the tree is kept."""
    done: set[str] = set()  # reaches no cycle, or its cycle is already broken
    for start in sorted(chosen):
        path: list[str] = []
        at: dict[str, int] = {}  # each type on `path` -> its position (linear on long chains)
        cur: str | None = start
        while cur is not None and cur not in at and cur not in done:
            at[cur] = len(path)
            path.append(cur)
            f = chosen.get(cur)
            cur = f.parent if f else None
        done.update(path)  # one parent each: past this, nothing on the path reaches a cycle
        if cur is None or cur not in at:
            continue
        cycle = path[at[cur] :]
        edges = [f for k in cycle if (f := chosen[k]) is not None]
        weakest = max(edges, key=lambda f: (f.order, f.child))
        names = " -> ".join(subjects[k].decl.qualified for k in cycle + [cycle[0]])
        said = "; ".join(
            f"{_where(f.claim)}: {subjects[f.child].decl.name} derives from "
            f"{subjects[f.parent].decl.name}"
            for f in edges
        )
        warn(
            weakest.claim.source,
            weakest.claim.line,
            "DG504",
            f"inheritance cycle {names} ({said}); dropped the weakest claim, "
            f"{_where(weakest.claim)}: {subjects[weakest.child].decl.qualified} has no base "
            "from it",
        )
        chosen[weakest.child] = None


# --- kinds ---


def _keyed(s: Subject, has_base: bool) -> bool:
    """Whether the annotation's `keyProperty` makes the type an entity.

    Only where the page lists the key or names a base to inherit it from:
    settings and value types whose annotation was copied from an entity page
    carry `"keyProperty": "id"` without any `id` (the metadata declares them
    complex types).
    """
    if not s.decl.key:
        return False
    return has_base or any(k.lower() in s.own_props for k in s.decl.key)


def ancestors(key: str, parents: Mapping[str, str | None] | Mapping[str, str]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    cur = parents.get(key)
    while cur is not None and cur.lower() not in seen and cur.lower() != key:
        out.append(cur.lower())
        seen.add(cur.lower())
        cur = parents.get(cur.lower())
    return out


def kinds(
    subjects: Mapping[str, Subject], parents: Mapping[str, str | None], nav_targets: set[str]
) -> dict[str, Kind]:
    """Entity or complex: the type's annotation key, then its title, then an ancestor's or a
    derived type's evidence; by convention, a relationship's target or a type with API
    operations."""

    def own(k: str) -> Kind | None:
        s = subjects[k]
        if _keyed(s, parents.get(k) is not None):
            return "entity"
        return s.decl.kind_hint if s.decl.kind_hint in ("entity", "complex") else None

    def convention(k: str) -> bool:
        return k in nav_targets or subjects[k].decl.addressable

    # The base of an entity is an entity (OData derives no entity from a complex type).
    bases_of_entities: set[str] = set()
    for key in sorted(subjects):
        if own(key) == "entity":
            bases_of_entities.update(ancestors(key, parents))
    out: dict[str, Kind] = {}
    for key in subjects:
        stated = own(key)
        if stated is not None:
            out[key] = stated
            continue
        chain = [key] + [a for a in ancestors(key, parents) if a in subjects]
        entity = (
            any(own(a) == "entity" for a in chain[1:])
            or key in bases_of_entities
            or any(convention(k) for k in chain)
        )
        out[key] = "entity" if entity else "complex"
    return out


# --- conventions ---


def root_bases(
    subjects: Mapping[str, Subject],
    parents: dict[str, str | None],
    kinds_: Mapping[str, Kind],
    root_entity: str = DEFAULT_ROOT_ENTITY,
) -> None:
    """An entity page that names no base derives from the root entity (a convention, not a vote):
    every entity needs a key, and a page that names no base has simply left it out."""
    root = root_entity.lower()
    if root not in subjects:
        return
    above = set(ancestors(root, parents)) | {root}  # the root's own bases: no cycle
    for key in sorted(subjects):
        if key not in above and kinds_.get(key) == "entity" and parents.get(key) is None:
            parents[key] = subjects[root].decl.qualified
