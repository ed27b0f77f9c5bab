"""Inference is local: a page changes only the types it declares and those that depend on it.

On the real corpus (v1.0 2021-07 and beta 2020-05), in-process at the parse
level (extract each page once per tree, resolve many times):

(a) adding 100 pages that document new subtypes of one non-root type (copies
    of its leaf subtypes' pages under new names and new type names, as Intune
    adds them every month) changes the base or kind of no existing type;
(b) removing 3 random pages (8 trials, fixed seed) changes the base or kind
    only of types that depended on them: declared on them, named by them (a
    base, a derived-types list, a relationship's target), or derived from
    such a type.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from docgen.discover import discover
from docgen.extract import extract
from docgen.model import Model, PageDecls
from docgen.pipeline import read_source
from docgen.read import read_text
from docgen.resolve import resolve

NEW_PAGES = 100
TRIALS = 8
REMOVED = 3
SEED = 12


@dataclass(frozen=True)
class Tree:
    root: Path
    pages: tuple[PageDecls, ...]
    model: Model


_TREES: dict[Path, Tree] = {}


def tree(root: Path) -> Tree:
    """One baseline parse per tree for the whole session."""
    if root not in _TREES:
        pages = tuple(read_source(src) for src in discover([root]))
        _TREES[root] = Tree(root, pages, resolve(pages))
    return _TREES[root]


@pytest.fixture(params=["v1.0", "beta"])
def corpus(
    request: pytest.FixtureRequest, corpus_v1_resources: Path, corpus_beta_resources: Path
) -> Tree:
    return tree(corpus_v1_resources if request.param == "v1.0" else corpus_beta_resources)


def shape(m: Model) -> dict[str, tuple[str | None, str]]:
    """Each type's base and kind, by lower-cased qualified name."""
    return {t.qualified.lower(): ((t.base or "").lower() or None, t.kind) for t in m.types}


def children(m: Model) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for t in m.types:
        if t.base:
            out.setdefault(t.base.lower(), []).append(t.qualified.lower())
    return out


def test_the_tree_resolves_without_errors(corpus: Tree) -> None:
    """Inconsistencies in the docs are warnings: no tree is lost to one page."""
    errors = [d.render() for d in corpus.model.diagnostics if d.severity == "error"]
    assert errors == []
    assert len(corpus.model.types) > 1000


# --- (a) new subtypes of one family ---


def copies(t: Tree, family: str, n: int) -> list[PageDecls]:
    """n new pages: the family's leaf subtypes' pages, each type renamed `<name>Copy<i>`."""
    kids = children(t.model)
    by_name = t.model.by_qualified()
    leaves = sorted(
        q for q in kids.get(family.lower(), []) if q not in kids and not by_name_is_merged(t, q)
    )
    assert len(leaves) >= 5, f"{family} has too few leaf subtypes to copy: {leaves}"
    out = []
    for i in range(n):
        q = leaves[i % len(leaves)]
        typedef = next(v for k, v in by_name.items() if k.lower() == q)
        name, source = typedef.name, typedef.source
        text = (t.root / source).read_text(encoding="utf-8")
        new_name = f"{name}Copy{i}"
        text = re.sub(re.escape(name), new_name, text, flags=re.I)
        stem = source.rsplit("/", 1)[-1].removesuffix(".md")
        text = re.sub(re.escape(stem) + r"\.md", f"{stem}copy{i}.md", text, flags=re.I)
        new_source = source.removesuffix(".md") + f"copy{i}.md"
        out.append(extract(read_text(text, new_source)))
    return out


def by_name_is_merged(t: Tree, qualified: str) -> bool:
    """A type several pages declare: a copy of one of them would not be a whole new type."""
    return sum(qualified in {d.qualified.lower() for d in p.types} for p in t.pages) != 1


@pytest.mark.parametrize(
    "family", ["microsoft.graph.deviceConfiguration", "microsoft.graph.mobileApp"]
)
def test_new_subtypes_of_one_family_change_no_existing_type(corpus: Tree, family: str) -> None:
    added = copies(corpus, family, NEW_PAGES)
    after = resolve(corpus.pages + tuple(added))
    before_shape, after_shape = shape(corpus.model), shape(after)
    new = set(after_shape) - set(before_shape)
    # The new pages really are new subtypes of the family (else the test proves nothing).
    assert len(new) == NEW_PAGES
    assert sum(after_shape[q][0] == family.lower() for q in new) == NEW_PAGES
    changed = {
        q: (before_shape[q], after_shape.get(q))
        for q in before_shape
        if after_shape.get(q) != before_shape[q]
    }
    assert changed == {}
    assert not after.has_errors


# --- (b) removing pages ---


def dependents(t: Tree, removed: list[PageDecls]) -> set[str]:
    """Types that depend on the removed pages, and every type derived from them."""
    declared = {d.qualified.lower() for p in removed for d in p.types}
    named: set[str] = set()
    short = {}
    for ty in t.model.types:
        short.setdefault(ty.name.lower(), set()).add(ty.qualified.lower())
    for p in removed:
        for d in p.types:
            for c in d.bases + d.derived:
                named |= short.get((c.ref.name or "").lower().rpartition(".")[2], set())
    by_name = {ty.qualified.lower(): ty for ty in t.model.types}
    for q in declared:
        ty = by_name.get(q)
        if ty is not None:
            named |= {p.type.lower() for p in ty.properties if p.navigation}
            if ty.base:
                named.add(ty.base.lower())
    roots = declared | named
    kids = children(t.model)
    out = set(roots)
    stack = list(roots)
    while stack:
        for k in kids.get(stack.pop(), []):
            if k not in out:
                out.add(k)
                stack.append(k)
    return out


def test_removing_pages_changes_only_the_types_that_depended_on_them(corpus: Tree) -> None:
    rng = random.Random(SEED)
    with_types = [i for i, p in enumerate(corpus.pages) if p.types]
    before = shape(corpus.model)
    for _ in range(TRIALS):
        gone = set(rng.sample(with_types, REMOVED))
        removed = [corpus.pages[i] for i in sorted(gone)]
        after = shape(resolve([p for i, p in enumerate(corpus.pages) if i not in gone]))
        changed = {q for q in before if q in after and after[q] != before[q]}
        unexplained = changed - dependents(corpus, removed)
        assert unexplained == set(), ([p.source for p in removed], sorted(unexplained))
        # The changes stay near the removed pages: at most 3 types beyond those they
        # declared or named directly (their derived types, whose kind may follow).
        declared = {d.qualified.lower() for p in removed for d in p.types}
        far = {q for q in changed if q not in declared and before[q][0] not in declared}
        assert len(far) <= REMOVED, ([p.source for p in removed], sorted(far))
