"""Descriptions and namespaces measured on real trees (issue 12.4/12.5 acceptance).

One in-process parse per tree (v1.0 2021-07 and beta 2020-05, read from
`../shared` through conftest's fixtures): descriptions a user would want in
an IDE hover, one package per namespace, enums in their users' namespace.
"""

from __future__ import annotations

import ast
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from conftest import require_shared

from docgen.discover import discover
from docgen.model import Model
from docgen.names import namespace_path
from docgen.pipeline import read_source
from docgen.render import Renderer, plan
from docgen.resolve import resolve

TREES = {
    "v1.0-2021-07": ("graph-docs-2021-07", "v1.0"),
    "beta-2020-05": ("graph-docs-2020-05", "beta"),
}
# What user.md says about the type (its first paragraph after the disclaimer),
# the same sentence in both trees.
USER_SUMMARY = "Represents an Azure AD user account. Inherits from directoryObject."


@pytest.fixture(scope="module", params=sorted(TREES))
def tree(request: pytest.FixtureRequest, shared_dir: Path) -> tuple[str, Model]:
    snapshot, version = TREES[request.param]
    docs = require_shared(
        shared_dir / "corpus" / snapshot / "api-reference" / version / "resources",
        f"the {request.param} resources corpus",
    )
    return request.param, resolve([read_source(s) for s in discover([docs])])


def test_few_types_share_a_description_with_four_or_more_others(tree: tuple[str, Model]) -> None:
    name, model = tree
    counts = Counter(t.description.strip() for t in model.types if t.description.strip())
    shared = [t for t in model.types if counts[t.description.strip()] >= 5]
    share = len(shared) / len(model.types)
    common = [text[:60] for text, n in counts.most_common(3) if n >= 5]
    print(f"\n{name}: {len(shared)} of {len(model.types)} types ({share:.2%}) share; {common}")
    assert share <= 0.01, common


def test_few_entity_and_complex_types_have_no_description(tree: tuple[str, Model]) -> None:
    name, model = tree
    structured = [t for t in model.types if t.kind != "enum"]
    bare = [t.qualified for t in structured if not t.description.strip()]
    share = len(bare) / len(structured)
    print(f"\n{name}: {len(bare)} of {len(structured)} ({share:.2%}) without: {bare[:5]}")
    assert share <= 0.01, bare


def test_no_description_is_boilerplate(tree: tuple[str, Model]) -> None:
    _, model = tree
    boiler = ("requires an active intune license", "subject to change", "[!include", "[!note")
    bad = [t.qualified for t in model.types if any(b in t.description.lower() for b in boiler)]
    assert bad == []


def test_user_is_described_and_sourced_by_user_md(tree: tuple[str, Model]) -> None:
    _, model = tree
    user = model.by_qualified()["microsoft.graph.user"]
    assert (user.source, user.description) == ("user.md", USER_SUMMARY)
    job = next(j for j in plan(model, "graph_models")[0] if j.type.qualified == user.qualified)
    source = Renderer("graph_models").module(job)
    cls = next(
        n for n in ast.parse(source).body if isinstance(n, ast.ClassDef) and n.name == "User"
    )
    assert " ".join((ast.get_docstring(cls) or "").split()) == USER_SUMMARY


def test_one_package_per_namespace(tree: tuple[str, Model]) -> None:
    _, model = tree
    spellings: dict[str, set[str]] = defaultdict(set)
    folders: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for t in model.types:
        spellings[t.namespace.lower()].add(t.namespace)
        folders[t.namespace.lower()].add(tuple(t.py_module.split(".")[:-1]))
    assert {k: v for k, v in spellings.items() if len(v) > 1} == {}
    for low, (spelled,) in spellings.items():
        assert folders[low] == {namespace_path(spelled)}


def test_every_enum_is_in_the_namespace_of_its_users(tree: tuple[str, Model]) -> None:
    """An enum lives in the namespace of (one of) the types whose properties use it."""
    _, model = tree
    users: dict[str, set[str]] = defaultdict(set)
    for t in model.types:
        for p in t.properties:
            for target in {p.type, p.enum or ""}:
                users[target].add(t.namespace)
    misplaced = [
        (e.qualified, sorted(users[e.qualified]))
        for e in model.types
        if e.kind == "enum" and users[e.qualified] and e.namespace not in users[e.qualified]
    ]
    assert misplaced == []
    assert len({t.namespace for t in model.types if t.kind == "enum"}) >= 2
