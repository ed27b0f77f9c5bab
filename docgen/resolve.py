"""Link the pages' declarations into one model.

Settles namespace spellings (case-insensitive) and the namespace of enum
pages that state none, merges types declared on several pages (the type's
own page first), resolves type references (declared
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

from . import edm, infer, lenient, limits, names
from .model import (
    DEFAULT_ROOT_ENTITY,
    Claim,
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
    # A lower-cased wire name -> the spelling kept in `props` (JSON keys match it).
    spelled: dict[str, str] = field(default_factory=dict)
    members: dict[str, MemberDecl] = field(default_factory=dict)
    bases: list[Claim] = field(default_factory=list)
    derived: list[Claim] = field(default_factory=list)


class _Diags:
    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def add(self, path: str, line: int, severity: Severity, code: str, message: str) -> None:
        self.items.append(Diagnostic(path, line, 1, severity, code, message))

    def warn(self, path: str, line: int, code: str, message: str) -> None:
        self.add(path, line, "warning", code, message)


def resolve(pages: Sequence[PageDecls], root_entity: str = DEFAULT_ROOT_ENTITY) -> Model:
    diags = _Diags()
    pages = _settle_namespaces(pages, diags)
    merged = _merge(pages, diags)
    _enforce_limits(merged, diags)
    _drop_empty_enums(merged, diags)
    index = _Index(merged)
    props = _resolve_properties(merged, index, diags)
    subjects = _subjects(merged, props)
    bases = infer.bases(subjects, index.lookup, index.suggest, diags.warn, root_entity)
    _limit_depth(merged, bases, diags)
    kinds = infer.kinds(subjects, bases, _navigation_targets(props))
    infer.root_bases(subjects, bases, kinds, root_entity)
    _limit_depth(merged, bases, diags)
    kinds.update({k: "enum" for k, m in merged.items() if m.decl.is_enum})
    props = _promote_enums(merged, props, index)
    _flags_from_examples(merged, props)
    props = _drop_inherited(merged, props, bases, diags)
    types = _name(merged, bases, kinds, props, _returned_by(pages, index))
    page_diags = [d for p in pages for d in p.diagnostics]
    all_diags = tuple(sorted(set(page_diags + diags.items)))
    return Model(tuple(sorted(types, key=lambda t: t.qualified.lower())), all_diags)


# --- namespaces ---


def _settle_namespaces(pages: Sequence[PageDecls], diags: _Diags) -> list[PageDecls]:
    """One spelling per namespace, and a namespace for enum pages that state none.

    Namespaces are case-insensitive: spellings that differ only in case are
    one namespace, so one package. Its spelling is the camelCase one (most
    capitals inside words, then fewest at word starts, then code-point order),
    a choice among that namespace's own spellings only. An enum page without
    a "Namespace:" line takes the namespace of the types that use its enums,
    else of the pages of its family (`enums-callrecords.md`: `callrecords-*.md`).
    """
    spellings: dict[str, set[str]] = defaultdict(set)
    for p in pages:
        for d in p.types:
            spellings[d.namespace.lower()].add(d.namespace)
    canon = {low: min(spelled, key=_spelling_rank) for low, spelled in spellings.items()}
    warned: set[str] = set()
    for p in sorted(pages, key=lambda p: p.source):
        for d in p.types:
            want = canon[d.namespace.lower()]
            if d.namespace != want and d.namespace not in warned:
                warned.add(d.namespace)
                diags.add(
                    d.source,
                    d.line,
                    "warning",
                    "DG520",
                    f"namespace {d.namespace} is spelled {want} elsewhere; "
                    f"namespaces are case-insensitive: one package, spelled {want}",
                )
    homes = _enum_page_namespaces(pages, canon, diags)
    out: list[PageDecls] = []
    for p in pages:
        home = homes.get(p.source)
        types = tuple(
            replace(
                d,
                namespace=(
                    home
                    if home is not None and d.is_enum and not d.namespace_stated
                    else canon[d.namespace.lower()]
                ),
            )
            for d in p.types
        )
        out.append(replace(p, types=types))
    return out


def _spelling_rank(namespace: str) -> tuple[int, int, str]:
    parts = namespace.split(".")
    inner = sum(ch.isupper() for part in parts for ch in part[1:])
    initial = sum(part[:1].isupper() for part in parts)
    return (-inner, initial, namespace)


def _enum_page_namespaces(
    pages: Sequence[PageDecls], canon: dict[str, str], diags: _Diags
) -> dict[str, str]:
    """Namespaces for pages whose enums have no stated namespace, by the pages' evidence.

    The evidence is local: the properties whose type names one of the page's
    enums (or links to the page), on types whose namespace is stated; a
    property in a namespace that declares that name itself is about that
    type. Without users, the family's pages decide. Pages without evidence
    keep the default namespace.
    """
    stated: set[tuple[str, str]] = set()
    for p in pages:
        for d in p.types:
            if d.namespace_stated:
                stated.add((canon[d.namespace.lower()].lower(), d.name.lower()))
    uses: dict[str, list[tuple[str, str]]] = defaultdict(list)  # short name or file -> users
    for p in pages:
        for d in p.types:
            if d.is_enum or not d.namespace_stated:
                continue
            ns = canon[d.namespace.lower()]
            for prop in d.properties:
                name = (prop.type.name or "").strip()
                where = f"{d.name}.{prop.name}"
                if "." in name and not name.lower().startswith("edm."):
                    qual_ns, _, short = name.rpartition(".")
                    uses[short.lower()].append((canon.get(qual_ns.lower(), qual_ns), where))
                    continue
                if (ns.lower(), name.lower()) not in stated:
                    uses[name.lower()].append((ns, where))
                if prop.type.target and prop.type.target.endswith(".md"):
                    uses["file:" + prop.type.target.lower()].append((ns, where))
    homes: dict[str, str] = {}
    families: dict[str, list[tuple[str, str, str]]] | None = None  # made when first needed
    for p in sorted(pages, key=lambda p: p.source):
        loose = [d for d in p.types if d.is_enum and not d.namespace_stated]
        if not loose:
            continue
        file = p.source.rsplit("/", 1)[-1].lower()
        votes: list[tuple[str, str]] = list(uses.get("file:" + file, []))
        for d in loose:
            votes.extend(uses.get(d.name.lower(), []))
        why = "the types that use its enums"
        if not votes:
            if families is None:
                families = _families(pages, canon)
            votes = _family_namespaces(p, families)
            why = "the pages of its family"
        if not votes:
            continue
        count: dict[str, int] = defaultdict(int)
        for ns, _ in votes:
            count[ns] += 1
        home = min(count, key=lambda ns: (-count[ns], ns != names.ROOT_NAMESPACE, ns))
        if home.lower() == loose[0].namespace.lower():
            continue
        homes[p.source] = home
        examples = sorted({w for ns, w in votes if ns == home})
        diags.add(
            p.source,
            loose[0].line,
            "warning",
            "DG521",
            f"no Namespace line: its enums go to {home}, the namespace of {why} ("
            + ", ".join(examples[:3])
            + (f" and {len(examples) - 3} more" if len(examples) > 3 else "")
            + ")",
        )
    return homes


def _families(
    pages: Sequence[PageDecls], canon: dict[str, str]
) -> dict[str, list[tuple[str, str, str]]]:
    """File-name family (`callrecords` of `callrecords-session.md`) -> (stated namespace,
    file name, source) of its pages: one pass, whatever the number of enum pages."""
    out: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for p in pages:
        other = p.source.rsplit("/", 1)[-1].lower()
        family, dash, _ = other.partition("-")
        if not dash:
            continue
        for d in p.types:
            if d.namespace_stated:
                out[family].append((canon[d.namespace.lower()], other, p.source))
                break
    return out


def _family_namespaces(
    page: PageDecls, families: dict[str, list[tuple[str, str, str]]]
) -> list[tuple[str, str]]:
    """Stated namespaces of the pages that share the page's file-name family."""
    stem = page.source.rsplit("/", 1)[-1].lower().removesuffix(".md")
    for prefix in ("enums-", "enums_", "enum-", "enums"):
        if stem.startswith(prefix) and len(stem) > len(prefix):
            stem = stem[len(prefix) :]
            break
    family = stem.split("-", 1)[0]
    if not family or family == "enums":
        return []
    return [(ns, other) for ns, other, source in families.get(family, []) if source != page.source]


# --- merging ---


def _own_page_rank(d: TypeDecl, main: bool) -> tuple[int, int, int]:
    """Which of a type's pages is its own: `user.md` for `user`, before the
    Intune page that also declares it. File name first, then whether the type
    is the page's main one (its title or only annotation), then the shorter name."""
    stem = d.source.rsplit("/", 1)[-1].lower().removesuffix(".md")
    name = d.name.lower()
    if stem == name:
        by_file = 0
    elif stem.replace("_", "-").endswith("-" + name):
        by_file = 1
    else:
        by_file = 2
    return (by_file, 0 if main else 1, len(stem))


def _merge(pages: Sequence[PageDecls], diags: _Diags) -> dict[str, _Merged]:
    """One entry per type (case-insensitively), its page's decl first.

    The type's own page (see `_own_page_rank`) gives the spelling, source,
    description and the order of properties; the others add what it lacks.
    """
    merged: dict[str, _Merged] = {}
    decls = sorted(
        ((d, _own_page_rank(d, i == 0)) for p in pages for i, d in enumerate(p.types)),
        key=lambda x: (x[0].qualified.lower(), x[0].is_enum, x[1], x[0].source, x[0].line),
    )
    for d, _ in decls:
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
                kind_hint=m.decl.kind_hint or d.kind_hint,
                description=m.decl.description or d.description,
            )
        for p in d.properties:
            # A JSON key that differs from a property only in case is that property,
            # and a table row's spelling wins over a JSON key's; two table rows that
            # differ only in case are two properties (wire names are case-sensitive).
            key = p.name if p.name in m.props else m.spelled.get(p.name.lower(), p.name)
            old = m.props.get(key)
            if old is not None and old.name != p.name and not (old.from_json or p.from_json):
                key, old = p.name, m.props.get(p.name)
            if old is None or (old.from_json and not p.from_json):
                if old is not None and key != p.name:  # respelled where it stands
                    m.props = {(p.name if k == key else k): v for k, v in m.props.items()}
                m.props[p.name] = p
                m.spelled.setdefault(p.name.lower(), p.name)
                if old is not None:
                    m.spelled[p.name.lower()] = p.name
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
            if self.merged[k].decl.namespace.lower() == namespace.lower():
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


# --- bases and kinds (the rules are in docgen/infer.py) ---


def _subjects(
    merged: dict[str, _Merged], props: dict[str, list[_Prop]]
) -> dict[str, infer.Subject]:
    return {
        key: infer.Subject(
            m.decl,
            tuple(m.bases),
            tuple(m.derived),
            frozenset(p.decl.name.lower() for p in props.get(key, [])),
        )
        for key, m in sorted(merged.items())
        if not m.decl.is_enum
    }


def _navigation_targets(props: dict[str, list[_Prop]]) -> set[str]:
    return {p.type.lower() for plist in props.values() for p in plist if p.decl.navigation}


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
    members match, else a new `<type><Property>` enum of their own.

    A documented enum named `<type><Property>` is the property's, whatever the
    list says. A synthesised enum is shared only by properties whose members
    match: where another property's synthesised enum (`aB.c` and `a.bC` both
    spell `aBC`) or a structured type has the name, it is `<type><Property>Values`
    (then a number).
    """
    by_members: dict[frozenset[str], list[str]] = defaultdict(list)
    synthesised: set[str] = set()
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
            base_name = owner.name + p.decl.name[:1].upper() + p.decl.name[1:]
            base_name = "".join(ch for ch in base_name if ch.isalnum() or ch == "_")
            name = base_name
            for n in range(1, 100):
                new_key = f"{owner.namespace}.{name}".lower()
                existing = merged.get(new_key)
                if existing is None or (existing.decl.is_enum and new_key not in synthesised):
                    break  # free, or the documented enum `<type><Property>`: this one
                if new_key in synthesised and _member_key(existing.members) == wanted:
                    break
                name = base_name + ("Values" if n == 1 else f"Values{n}")
            else:
                continue
            if new_key not in merged:
                synthesised.add(new_key)
                decl = TypeDecl(
                    name,
                    owner.namespace,
                    True,
                    p.decl.source or owner.source,
                    p.decl.line,
                    implied_by=(owner.qualified, p.decl.name),
                )
                mm = _Merged(decl)
                docs = p.decl.value_descriptions or ("",) * len(p.decl.values)
                for v, doc in zip(p.decl.values, docs, strict=False):
                    mm.members.setdefault(v, MemberDecl(v, None, doc, p.decl.line))
                merged[new_key] = mm
                index.merged[new_key] = mm
            props[key][i] = replace(p, enum=merged[new_key].decl.qualified)
    return props


def _flags_from_examples(merged: dict[str, _Merged], props: dict[str, list[_Prop]]) -> None:
    """An enum is flags where a JSON representation writes one of its properties
    as members joined by commas (`"apps,tabs"`)."""
    for plist in props.values():
        for p in plist:
            target = (p.enum or p.type).lower()
            m = merged.get(target)
            if m is None or not m.decl.is_enum or m.decl.flags or not p.decl.example:
                continue
            parts = [v.strip().lower() for v in p.decl.example.split(",")]
            members = {name.lower() for name in m.members}
            if len(parts) >= 2 and all(v in members for v in parts):
                m.decl = replace(m.decl, flags=True)


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
        for anc in infer.ancestors(key, bases):
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


def _returned_by(pages: Sequence[PageDecls], index: _Index) -> dict[str, str]:
    """For each type a method returns, the first such method and what it does."""
    out: dict[str, str] = {}
    for page in sorted(pages, key=lambda p: p.source):
        for m in page.methods:
            found = index.lookup(m.returns, names.ROOT_NAMESPACE)
            text = " ".join(m.description.split())
            name = " ".join(m.name.split())
            if found and found.lower() not in out and name and lenient.summary_text(text):
                out[found.lower()] = f"Returned by {name}: {text}"
    return out


def _used_by(where: list[str]) -> str:
    """An enum's description where the docs give none: where it is used."""
    if not where:
        return ""
    shown = ", ".join(where[:3])
    more = f" and {len(where) - 3} more" if len(where) > 3 else ""
    return f"Values of {shown}{more}."


def _name(
    merged: dict[str, _Merged],
    bases: dict[str, str | None],
    kinds: dict[str, Kind],
    props: dict[str, list[_Prop]],
    returned_by: dict[str, str],
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

    used_by: dict[str, list[str]] = defaultdict(list)
    held_by: dict[str, str] = {}  # a structured type -> the first documented property holding it
    for key in sorted(props, key=lambda k: (classes[k], k)):
        for p in props[key]:
            for target in dict.fromkeys((p.type.lower(), (p.enum or "").lower())):
                if target in merged and merged[target].decl.is_enum:
                    used_by[target].append(f"{classes[key]}.{p.decl.name}")
                elif target in merged and target != key and target not in held_by:
                    text = " ".join(p.decl.description.split())
                    if lenient.summary_text(text):
                        held_by[target] = f"The type of {classes[key]}.{p.decl.name}: {text}"

    types: list[TypeDef] = []
    for key, m in merged.items():
        d = m.decl
        if d.is_enum:
            description = d.description or _used_by(used_by.get(key, []))
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
                    description,
                    classes[key],
                    modules[key],
                    flags=d.flags,
                    members=members,
                    implied_by=d.implied_by,
                )
            )
            continue
        plist = props.get(key, [])
        field_names = fields_of(key)
        description = d.description or held_by.get(key) or returned_by.get(key, "")
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
                description,
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
