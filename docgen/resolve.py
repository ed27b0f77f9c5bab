"""Link the pages' declarations into one model.

Merges types declared on several pages, resolves type references (declared
name, then case-insensitively, then the link's target page, then the file
name), settles base types and kinds, drops inherited properties a derived
page repeats, promotes value-listed strings to enums and assigns Python names.
"""

from __future__ import annotations

import difflib
import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from . import edm, limits, names
from .model import (
    Diagnostic,
    EnumMember,
    Kind,
    MemberDecl,
    Model,
    PageDecls,
    Property,
    PropertyDecl,
    Severity,
    TypeDecl,
    TypeDef,
    TypeRef,
)

_READ_ONLY = ("read-only", "read only", "readonly")


@dataclass
class _Merged:
    decl: TypeDecl
    props: dict[str, PropertyDecl] = field(default_factory=dict)
    members: dict[str, MemberDecl] = field(default_factory=dict)
    bases: list[TypeRef] = field(default_factory=list)
    derived: list[TypeRef] = field(default_factory=list)


class _Diags:
    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def add(self, path: str, line: int, severity: Severity, code: str, message: str) -> None:
        self.items.append(Diagnostic(path, line, 1, severity, code, message))


def resolve(pages: Sequence[PageDecls]) -> Model:
    diags = _Diags()
    merged = _merge(pages, diags)
    _enforce_limits(merged, diags)
    _drop_empty_enums(merged, diags)
    index = _Index(merged)
    props = _resolve_properties(merged, index, diags)
    bases = _resolve_bases(merged, index, diags)
    _limit_depth(merged, bases, diags)
    kinds = _kinds(merged, bases, props)
    _infer_root_bases(merged, bases, kinds)
    props = _promote_enums(merged, props, index)
    props = _drop_inherited(merged, props, bases, diags)
    types = _name(merged, bases, kinds, props)
    page_diags = [d for p in pages for d in p.diagnostics]
    all_diags = tuple(sorted(set(page_diags + diags.items)))
    return Model(tuple(sorted(types, key=lambda t: t.qualified.lower())), all_diags)


# --- merging ---


def _merge(pages: Sequence[PageDecls], diags: _Diags) -> dict[str, _Merged]:
    merged: dict[str, _Merged] = {}
    decls = sorted(
        (d for p in pages for d in p.types),
        key=lambda d: (d.qualified.lower(), d.is_enum, d.source, d.line),
    )
    for d in decls:
        key = d.qualified.lower()
        m = merged.get(key)
        if m is None:
            m = merged[key] = _Merged(d)
        elif m.decl.is_enum != d.is_enum:
            diags.add(
                d.source,
                d.line,
                "warning",
                "DG105",
                f"{d.qualified} is declared as both enum and structured type; "
                f"keeping the one in {m.decl.source}",
            )
            continue
        else:
            m.decl = replace(
                m.decl,
                key=m.decl.key or d.key,
                abstract=m.decl.abstract or d.abstract,
                open=m.decl.open or d.open,
                flags=m.decl.flags or d.flags,
                description=m.decl.description or d.description,
            )
        for p in d.properties:
            old = m.props.get(p.name)
            if old is None or (old.from_json and not p.from_json):
                m.props[p.name] = p
        for mem in d.members:
            m.members.setdefault(mem.name, mem)
        m.bases.extend(d.bases)
        m.derived.extend(d.derived)
        if d.addressable and not m.decl.addressable:
            m.decl = replace(m.decl, addressable=True)
    return merged


def _enforce_limits(merged: dict[str, _Merged], diags: _Diags) -> None:
    """Keep the first `limits.MAX_PROPERTIES` properties of a type and the first
    `limits.MAX_MEMBERS` members (or listed values) of an enum, warning once per
    type: past them a module takes minutes and gigabytes to format."""
    for key in sorted(merged):
        m = merged[key]
        if len(m.props) > limits.MAX_PROPERTIES:
            names_ = list(m.props)
            first = m.props[names_[limits.MAX_PROPERTIES]]
            diags.add(
                first.source or m.decl.source,
                first.line,
                "warning",
                "DG108",
                f"{m.decl.qualified} has {len(names_)} properties (limit {limits.MAX_PROPERTIES}); "
                f"the last {len(names_) - limits.MAX_PROPERTIES}, from {first.name!r} on, "
                "are left out",
            )
            m.props = {n: m.props[n] for n in names_[: limits.MAX_PROPERTIES]}
        if len(m.members) > limits.MAX_MEMBERS:
            diags.add(
                m.decl.source,
                m.decl.line,
                "warning",
                "DG109",
                f"enum {m.decl.qualified} has {len(m.members)} members "
                f"(limit {limits.MAX_MEMBERS}); the last {len(m.members) - limits.MAX_MEMBERS} "
                "are left out",
            )
            m.members = dict(list(m.members.items())[: limits.MAX_MEMBERS])
        for name, p in list(m.props.items()):
            if len(p.values) > limits.MAX_MEMBERS:
                diags.add(
                    p.source or m.decl.source,
                    p.line,
                    "warning",
                    "DG109",
                    f"property {name!r} of {m.decl.qualified} lists {len(p.values)} values "
                    f"(limit {limits.MAX_MEMBERS}); the last "
                    f"{len(p.values) - limits.MAX_MEMBERS} are left out",
                )
                m.props[name] = replace(
                    p,
                    values=p.values[: limits.MAX_MEMBERS],
                    value_descriptions=p.value_descriptions[: limits.MAX_MEMBERS],
                )


def _drop_empty_enums(merged: dict[str, _Merged], diags: _Diags) -> None:
    """An enum page without members cannot become a Python enum: its properties stay strings."""
    for key in sorted(merged):
        m = merged[key]
        if m.decl.is_enum and not m.members:
            diags.add(
                m.decl.source,
                m.decl.line,
                "warning",
                "DG301",
                f"enum {m.decl.qualified} lists no members; its properties are typed String",
            )
            del merged[key]


class _Index:
    """Look-ups from the names a page may use to a declared type."""

    def __init__(self, merged: dict[str, _Merged]) -> None:
        self.merged = merged
        self.by_short: dict[str, list[str]] = defaultdict(list)
        self.by_short_exact: dict[str, list[str]] = defaultdict(list)
        self.by_file: dict[str, list[str]] = defaultdict(list)
        for key in sorted(merged):
            d = merged[key].decl
            self.by_short[d.name.lower()].append(key)
            self.by_short_exact[d.name].append(key)
            stem = d.source.rsplit("/", 1)[-1].lower().removesuffix(".md")
            self.by_file[stem].append(key)
        self._suggested: dict[str, str | None] = {}
        self._grams: dict[str, list[str]] | None = None  # built on the first unknown name
        for keys in self.by_file.values():
            keys.sort(key=lambda k: (merged[k].decl.is_enum, merged[k].decl.line))

    def canonical(self, key: str) -> str:
        return self.merged[key].decl.qualified

    def _pick(self, keys: list[str], namespace: str, want_enum: bool | None = None) -> str | None:
        if not keys:
            return None
        pool = keys
        if want_enum is not None:
            pool = [k for k in keys if self.merged[k].decl.is_enum == want_enum] or keys
        for k in pool:
            if self.merged[k].decl.namespace == namespace:
                return k
        for k in pool:
            if self.merged[k].decl.namespace == names.ROOT_NAMESPACE:
                return k
        return pool[0]

    def lookup(self, ref: TypeRef, namespace: str) -> str | None:
        """The qualified name (canonical spelling) of a declared type, else None."""
        name = (ref.name or "").strip()
        if name.startswith("graph."):
            name = "microsoft." + name
        if "." in name and not name.lower().startswith("edm."):
            key = name.lower()
            if key in self.merged:
                return self.canonical(key)
            name = name.rpartition(".")[2]
        found = self._pick(self.by_short_exact.get(name, []), namespace)
        found = found or self._pick(self.by_short.get(name.lower(), []), namespace)
        if found is None and ref.anchor:
            anchor = ref.anchor.lower()
            for suffix in ("-values", "-value", "values", "value", "-enum"):
                anchor = anchor.removesuffix(suffix)
            found = self._pick(self.by_short.get(anchor.replace("-", ""), []), namespace, True)
        if found is None and ref.target:
            stem = ref.target.lower().removesuffix(".md")
            found = self._pick(self.by_file.get(stem, [])[:1], namespace)
            found = found or self._pick(self.by_short.get(stem, []), namespace)
        return self.canonical(found) if found else None

    def suggest(self, name: str) -> str | None:
        """A declared name close to `name` ("did you mean"), in bounded time.

        difflib over every type for every unknown reference is quadratic
        (8,000 of each: minutes). Instead: answers are memoized; names longer
        than `_SUGGEST_MAX_LEN` get none; difflib ranks only the
        `_SUGGEST_CANDIDATES` names sharing the most trigrams with `name`,
        counting the rarest trigrams first and stopping after
        `_SUGGEST_BUDGET` names (a trigram in every name says little and
        would cost a pass over all of them).
        """
        low = name.lower()
        if low not in self._suggested:
            self._suggested[low] = self._suggest(low)
        return self._suggested[low]

    def _suggest(self, low: str) -> str | None:
        if len(low) > _SUGGEST_MAX_LEN:
            return None
        if self._grams is None:
            self._grams = defaultdict(list)
            for short in self.by_short:
                if len(short) <= _SUGGEST_MAX_LEN:
                    for gram in _trigrams(short):
                        self._grams[gram].append(short)
        shared: Counter[str] = Counter()
        budget = _SUGGEST_BUDGET
        postings = sorted((self._grams.get(g, []) for g in _trigrams(low)), key=len)
        for names_with in postings:  # the rarest trigrams say the most
            if len(names_with) > budget:
                break
            budget -= len(names_with)
            shared.update(names_with)
        best = heapq.nsmallest(
            _SUGGEST_CANDIDATES, shared.items(), key=lambda kv: (-kv[1], kv[0])  # ties: by name
        )
        pool = [short for short, _ in best]
        close = difflib.get_close_matches(low, pool, n=1, cutoff=0.8)
        return self.canonical(self.by_short[close[0]][0]) if close else None


_SUGGEST_MAX_LEN = 128
_SUGGEST_BUDGET = 1024
_SUGGEST_CANDIDATES = 16


def _trigrams(text: str) -> set[str]:
    padded = f"^{text}$"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _resolve_ref(
    ref: TypeRef, at: TypeDecl, line: int, index: _Index, diags: _Diags, source: str = ""
) -> str:
    name = (ref.name or "").strip()
    prim = edm.primitive(name)
    linked = ref.target is not None and not ref.target.startswith("#")
    # A link from a primitive's name counts where it can hold the primitive's
    # values: `[String](enums.md#x)` is the enum x, but a `[DateTimeOffset](...)`
    # that links a structured type's page is still a DateTimeOffset.
    if prim and not (linked and prim == "Edm.String" and index.lookup(ref, at.namespace)):
        return prim
    found = index.lookup(ref, at.namespace)
    if found:
        return found
    if name.lower() in ("json", "jsonobject"):
        return "Edm.Untyped"
    hint = index.suggest(name.rpartition(".")[2])
    extra = f" (did you mean {hint}?)" if hint else ""
    diags.add(
        source or at.source,
        line,
        "warning",
        "DG501",
        f"unknown type {ref.text!r}{extra}; using Edm.String",
    )
    return "Edm.String"


# --- bases and kinds ---


def _resolve_bases(
    merged: dict[str, _Merged], index: _Index, diags: _Diags
) -> dict[str, str | None]:
    bases: dict[str, str | None] = {}
    for key, m in sorted(merged.items()):
        if m.decl.is_enum:
            continue
        found: list[str] = []
        for ref in m.bases:
            got = index.lookup(ref, m.decl.namespace)
            if got is None:
                hint = index.suggest((ref.name or "").rpartition(".")[2])
                extra = f" (did you mean {hint}?)" if hint else ""
                diags.add(
                    m.decl.source,
                    m.decl.line,
                    "warning",
                    "DG502",
                    f"base type {ref.text!r} of {m.decl.qualified} is not declared{extra}",
                )
                continue
            if got.lower() == key:
                diags.add(
                    m.decl.source,
                    m.decl.line,
                    "warning",
                    "DG505",
                    f"{m.decl.qualified} names itself as its base type; ignored",
                )
                continue
            if merged[got.lower()].decl.is_enum:
                continue
            found.append(got)
        if len(set(found)) > 1:
            diags.add(
                m.decl.source,
                m.decl.line,
                "warning",
                "DG503",
                f"the annotation and the prose name different bases for {m.decl.qualified}: "
                + " and ".join(dict.fromkeys(found)),
            )
        bases[key] = _most_derived(found, merged, index) if found else None
    # A base page that names its derived types fills the gaps the derived pages leave.
    for key, m in sorted(merged.items()):
        if m.decl.is_enum:
            continue
        for ref in m.derived:
            got = index.lookup(ref, m.decl.namespace)
            if got is None or got.lower() == key or merged[got.lower()].decl.is_enum:
                continue
            if bases.get(got.lower()) is None:
                bases[got.lower()] = m.decl.qualified
    _break_cycles(merged, bases, diags)
    return bases


def _most_derived(found: list[str], merged: dict[str, _Merged], index: _Index) -> str:
    """Of several bases a page names, the one deriving from the others is the direct one."""
    if len({f.lower() for f in found}) == 1:
        return found[0]
    for cand in found:
        others = [f for f in found if f.lower() != cand.lower()]
        ancestors: set[str] = set()
        cur: str | None = cand
        while cur is not None and cur.lower() not in ancestors:
            ancestors.add(cur.lower())
            m = merged.get(cur.lower())
            nxt = [index.lookup(r, m.decl.namespace) for r in m.bases] if m else []
            cur = next((n for n in nxt if n), None)
        if all(o.lower() in ancestors for o in others):
            return cand
    return found[0]


def _break_cycles(merged: dict[str, _Merged], bases: dict[str, str | None], diags: _Diags) -> None:
    """Report each inheritance cycle once (at its first member by name) and cut it there.

    Linear: every type is walked once (a chain thousands deep is no cycle)."""
    state: dict[str, int] = {}  # the walk that reached a type
    for walk, key in enumerate(sorted(bases)):
        path: list[str] = []
        cur: str | None = key
        while cur is not None and cur not in state:
            state[cur] = walk
            path.append(cur)
            nxt = bases.get(cur)
            cur = nxt.lower() if nxt is not None else None
        if cur is None or state[cur] != walk:
            continue  # the end of the chain, or a type an earlier walk settled
        cycle = path[path.index(cur) :]
        start = cycle.index(min(cycle))
        cycle = cycle[start:] + cycle[:start]
        first = merged[cycle[0]]
        diags.add(
            first.decl.source,
            first.decl.line,
            "error",
            "DG504",
            "inheritance cycle: "
            + " -> ".join(merged[s].decl.qualified for s in cycle)
            + f" -> {bases[cycle[-1]]}",
        )
        bases[cycle[0]] = None


def _limit_depth(merged: dict[str, _Merged], bases: dict[str, str | None], diags: _Diags) -> None:
    """Cut inheritance chains deeper than `limits.MAX_INHERITANCE_DEPTH` (warned): each
    generated module imports its base's, and Python's import nests per level."""
    depth: dict[str, int] = {}
    for key in sorted(bases):
        chain: list[str] = []
        cur: str | None = key
        while cur is not None and cur not in depth:
            chain.append(cur)
            nxt = bases.get(cur)
            cur = nxt.lower() if nxt is not None and nxt.lower() in merged else None
        level = depth[cur] if cur is not None else -1
        for k in reversed(chain):
            level += 1
            if level > limits.MAX_INHERITANCE_DEPTH:
                m = merged[k]
                diags.add(
                    m.decl.source,
                    m.decl.line,
                    "warning",
                    "DG110",
                    f"{m.decl.qualified} derives through more than "
                    f"{limits.MAX_INHERITANCE_DEPTH} base types (limit); its base "
                    f"{bases[k]} is left out",
                )
                bases[k] = None
                level = 0
            depth[k] = level


def _ancestors(key: str, bases: dict[str, str | None]) -> list[str]:
    out: list[str] = []
    seen = {key}
    cur = bases.get(key)
    while cur is not None and cur.lower() not in seen:
        out.append(cur.lower())
        seen.add(cur.lower())
        cur = bases.get(cur.lower())
    return out


def _kinds(
    merged: dict[str, _Merged], bases: dict[str, str | None], props: dict[str, list[_Prop]]
) -> dict[str, Kind]:
    """Entity where the type or an ancestor has a key; where the docs forgot the key,
    being a relationship's target or having API operations marks an entity too."""
    targets = {p.type.lower() for plist in props.values() for p in plist if p.decl.navigation}
    entityish = {
        k
        for k, m in merged.items()
        if not m.decl.is_enum and (_keyed(k, m, bases, props) or k in targets or m.decl.addressable)
    }
    kinds: dict[str, Kind] = {}
    for key, m in merged.items():
        if m.decl.is_enum:
            kinds[key] = "enum"
            continue
        chain = [key] + _ancestors(key, bases)
        kinds[key] = "entity" if any(k in entityish for k in chain) else "complex"
    return kinds


def _keyed(
    key: str, m: _Merged, bases: dict[str, str | None], props: dict[str, list[_Prop]]
) -> bool:
    """Whether the annotation's `keyProperty` makes the type an entity.

    Only where the page lists the key or names a base to inherit it from:
    settings and value types whose annotation was copied from an entity page
    carry `"keyProperty": "id"` without any `id` (the metadata declares them
    complex types).
    """
    if not m.decl.key:
        return False
    if bases.get(key) is not None:
        return True
    own = {p.decl.name.lower() for p in props.get(key, [])}
    return any(k.lower() in own for k in m.decl.key)


def _infer_root_bases(
    merged: dict[str, _Merged], bases: dict[str, str | None], kinds: dict[str, Kind]
) -> None:
    """An entity page that names no base derives from the root entity.

    The root is the keyed, base-less entity that most types derive from. Every
    entity needs a key, and a page that names no base has simply left it out:
    the service's own metadata derives 173 of the 177 such v1.0 pages from it,
    directly or not.
    """
    children: dict[str, int] = defaultdict(int)
    for base in bases.values():
        if base is not None:
            children[base.lower()] += 1
    roots = sorted(
        (
            k
            for k, m in merged.items()
            if kinds.get(k) == "entity" and m.decl.key and bases.get(k) is None and children[k] >= 3
        ),
        key=lambda k: (-children[k], k),
    )
    if not roots:
        return
    root = roots[0]
    for key in sorted(merged):
        if key != root and kinds.get(key) == "entity" and bases.get(key) is None:
            bases[key] = merged[root].decl.qualified


# --- properties ---


@dataclass(frozen=True)
class _Prop:
    decl: PropertyDecl
    type: str
    enum: str | None = None


def _resolve_properties(
    merged: dict[str, _Merged], index: _Index, diags: _Diags
) -> dict[str, list[_Prop]]:
    out: dict[str, list[_Prop]] = {}
    for key, m in sorted(merged.items()):
        if m.decl.is_enum:
            continue
        props = []
        for p in m.props.values():
            qualified = _resolve_ref(p.type, m.decl, p.line, index, diags, p.source)
            enum = None
            if p.values_name and qualified == "Edm.String":
                enum = index.lookup(TypeRef(p.values_name, p.values_name), m.decl.namespace)
            props.append(_Prop(p, qualified, enum))
        out[key] = props
    return out


def _promote_enums(
    merged: dict[str, _Merged], props: dict[str, list[_Prop]], index: _Index
) -> dict[str, list[_Prop]]:
    """`String` properties with a value list become enums: a documented one whose
    members match, else a new `<type><Property>` enum."""
    by_members: dict[frozenset[str], list[str]] = defaultdict(list)
    for key in sorted(merged):
        m = merged[key]
        if m.decl.is_enum and m.members:
            by_members[_member_key(m.members)].append(key)
    for key in sorted(props):
        owner = merged[key].decl
        for i, p in enumerate(props[key]):
            if p.type != "Edm.String" or not p.decl.values or p.enum:
                continue
            wanted = _member_key(p.decl.values)
            candidates = by_members.get(wanted, [])
            if candidates:
                best = sorted(
                    candidates,
                    key=lambda k: (
                        merged[k].decl.name.lower() != p.decl.name.lower(),
                        merged[k].decl.namespace != owner.namespace,
                        k,
                    ),
                )[0]
                props[key][i] = replace(p, type=index.canonical(best))
                continue
            name = owner.name + p.decl.name[:1].upper() + p.decl.name[1:]
            name = "".join(ch for ch in name if ch.isalnum() or ch == "_")
            new_key = f"{owner.namespace}.{name}".lower()
            if new_key in merged and not merged[new_key].decl.is_enum:
                continue
            if new_key not in merged:
                decl = TypeDecl(
                    name,
                    owner.namespace,
                    True,
                    p.decl.source or owner.source,
                    p.decl.line,
                    description=f"Values of {owner.name}.{p.decl.name}.",
                )
                mm = _Merged(decl)
                docs = p.decl.value_descriptions or ("",) * len(p.decl.values)
                for v, doc in zip(p.decl.values, docs, strict=False):
                    mm.members.setdefault(v, MemberDecl(v, None, doc, p.decl.line))
                merged[new_key] = mm
                index.merged[new_key] = mm
            props[key][i] = replace(p, enum=merged[new_key].decl.qualified)
    return props


def _member_key(values: Iterable[object]) -> frozenset[str]:
    return frozenset(str(v).lower() for v in values if str(v).lower() != "unknownfuturevalue")


def _drop_inherited(
    merged: dict[str, _Merged],
    props: dict[str, list[_Prop]],
    bases: dict[str, str | None],
    diags: _Diags,
) -> dict[str, list[_Prop]]:
    out: dict[str, list[_Prop]] = {}
    for key, plist in props.items():
        inherited: set[str] = set()
        for anc in _ancestors(key, bases):
            inherited.update(p.decl.name.lower() for p in props.get(anc, []))
        out[key] = [p for p in plist if p.decl.name.lower() not in inherited]
        for p in out[key]:
            if p.decl.from_json:
                diags.add(
                    p.decl.source or merged[key].decl.source,
                    p.decl.line,
                    "warning",
                    "DG402",
                    f"property {p.decl.name!r} is in the JSON representation but in no table",
                )
    return out


# --- naming ---


def _nullable(description: str) -> bool | None:
    low = description.lower()
    if "not nullable" in low or "non-nullable" in low or "not null" in low:
        return False
    if "nullable" in low:
        return True
    return None


def _name(
    merged: dict[str, _Merged],
    bases: dict[str, str | None],
    kinds: dict[str, Kind],
    props: dict[str, list[_Prop]],
) -> list[TypeDef]:
    # Modules: unique per folder, case-insensitively (case-insensitive file systems).
    folders: dict[tuple[str, ...], list[tuple[str, str]]] = defaultdict(list)
    for key, m in merged.items():
        folders[names.namespace_path(m.decl.namespace)].append(
            (key, names.module_stem(m.decl.name))
        )
    subpackages = {path[: i + 1] for path in folders for i in range(len(path))}
    children: dict[tuple[str, ...], list[str]] = defaultdict(list)  # subpackages per folder
    for sub in subpackages:
        children[sub[:-1]].append(sub[-1])
    modules: dict[str, str] = {}
    for folder, cands in folders.items():
        taken = children.get(folder, [])
        for key, stem in names.unique(cands, taken).items():
            modules[key] = ".".join(folder + (stem,))
    # Classes: unique within their (sub)package, whose `__init__` exports them all;
    # a module importing two equal names from different packages aliases one.
    by_folder: dict[tuple[str, ...], list[tuple[str, str]]] = defaultdict(list)
    for key, m in merged.items():
        by_folder[names.namespace_path(m.decl.namespace)].append(
            (key, names.class_name(m.decl.name))
        )
    classes: dict[str, str] = {}
    for cands in by_folder.values():
        classes.update(names.unique(cands))

    field_maps: dict[str, dict[str, str]] = {}

    inherited_names: dict[str, set[str]] = {}  # field names a type's ancestors use

    def fields_of(key: str) -> dict[str, str]:
        """Field names per wire name, unique also against every ancestor's fields.

        Iterative, root first (an inheritance chain may be thousands deep)."""
        chain: list[str] = []
        k: str | None = key
        while k is not None and k not in field_maps and k not in inherited_names:
            inherited_names[k] = set()  # in progress (cycles are broken before naming)
            chain.append(k)
            k = (bases.get(k) or "").lower() or None
        for k in reversed(chain):
            parent = bases.get(k)
            taken: set[str] = set()
            if parent:
                taken = inherited_names[parent.lower()] | set(field_maps[parent.lower()].values())
            wires = [p.decl.name for p in props.get(k, [])]
            field_maps[k] = names.stable_unique(wires, names.field_name, taken)
            inherited_names[k] = taken
        return field_maps[key]

    types: list[TypeDef] = []
    for key, m in merged.items():
        d = m.decl
        if d.is_enum:
            member_names = names.stable_unique(
                (mem.name for mem in m.members.values()), names.upper_snake
            )
            members = tuple(
                EnumMember(mem.name, member_names[mem.name], mem.value, mem.description)
                for mem in m.members.values()
            )
            types.append(
                TypeDef(
                    d.name,
                    d.namespace,
                    "enum",
                    d.source,
                    d.line,
                    d.description,
                    classes[key],
                    modules[key],
                    flags=d.flags,
                    members=members,
                )
            )
            continue
        plist = props.get(key, [])
        field_names = fields_of(key)
        properties = tuple(
            Property(
                name=p.decl.name,
                py_name=field_names[p.decl.name],
                type=p.type,
                collection=p.decl.type.collection,
                navigation=p.decl.navigation,
                nullable=_nullable(p.decl.description),
                read_only=any(r in p.decl.description.lower() for r in _READ_ONLY),
                description=p.decl.description,
                line=p.decl.line,
                enum=p.enum,
                source=p.decl.source or d.source,
            )
            for p in plist
        )
        types.append(
            TypeDef(
                d.name,
                d.namespace,
                kinds[key],
                d.source,
                d.line,
                d.description,
                classes[key],
                modules[key],
                base=bases.get(key),
                abstract=d.abstract,
                open=d.open,
                key=d.key or (),
                properties=properties,
            )
        )
    return types
