"""`docgen diff`: the semantic diff, its three forms, --fail-on, and git: sources."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from docgen.cli import main
from docgen.diff import MARKER, Change, diff_models, short_names, to_markdown, to_text
from docgen.gitsource import GitSourceError, parse_spec, read_pages
from docgen.pipeline import load_model
from tests.conftest import V1_RESOURCES, require_shared, unreadable_page


def page(
    name: str, props: list[tuple[str, str]], *, base: str | None = None, extra: str = ""
) -> str:
    """A small resource page; `props` are (name, type cell) rows."""
    rows = "".join(f"| {n} | {t} | The {n}. |\n" for n, t in props)
    base_line = f"Inherits from [{base}]({base.lower()}.md).\n\n" if base else ""
    return (
        f"# {name} resource type\n\nNamespace: microsoft.graph\n\nA {name}.\n\n{base_line}"
        f"## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n{rows}\n{extra}"
    )


def enum_page(name: str, members: list[str]) -> str:
    rows = "".join(f"| {m} | The {m} value. |\n" for m in members)
    return (
        f"# {name} enum type\n\nNamespace: microsoft.graph\n\n"
        f"## Members\n\n| Member | Description |\n|:--|:--|\n{rows}"
    )


OLD_PAGES = {
    "thing.md": page(
        "thing", [("name", "String"), ("size", "Int32"), ("tags", "String collection")]
    ),
    "gone.md": page("gone", [("x", "String")]),
    "color.md": enum_page("color", ["red", "green", "blue"]),
    "base.md": page("base", [("id", "String")]),
    "other.md": page("other", [("id", "String")]),
    "child.md": page("child", [("label", "String")], base="base"),
}
NEW_PAGES = {
    "thing.md": page(
        "thing",
        [("name", "String"), ("size", "Int64"), ("tags", "String"), ("weight", "Double")],
    ),
    "fresh.md": page("fresh", [("y", "Boolean")]),
    "color.md": enum_page("color", ["red", "blue", "yellow"]),
    "base.md": page("base", [("id", "String")]),
    "other.md": page("other", [("id", "String")]),
    "child.md": page("child", [("label", "String")], base="other"),
}


def write_pages(root: Path, pages: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def trees(tmp_path: Path) -> tuple[Path, Path]:
    return write_pages(tmp_path / "old", OLD_PAGES), write_pages(tmp_path / "new", NEW_PAGES)


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main(["diff", *argv, "--format", "json", "--fail-on", "never"])
    return code, json.loads(capsys.readouterr().out)


def test_every_kind_of_change_in_json(
    trees: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = trees
    code, data = run_json(capsys, str(old), str(new))
    assert code == 0
    assert data["version"] == 1
    got = {
        (c["change"], c["type"], c["member"], c["old"], c["new"], c["breaking"])
        for c in data["changes"]
    }
    g = "microsoft.graph."
    assert got == {
        ("type_removed", g + "gone", None, None, None, True),
        ("type_added", g + "fresh", None, None, None, False),
        ("property_added", g + "thing", "weight", None, "Edm.Double", False),
        ("property_type_changed", g + "thing", "size", "Edm.Int32", "Edm.Int64", True),
        (
            "property_type_changed",
            g + "thing",
            "tags",
            "Collection(Edm.String)",
            "Edm.String",
            True,
        ),
        ("enum_member_removed", g + "color", "green", None, None, True),
        ("enum_member_added", g + "color", "yellow", None, None, False),
        ("base_changed", g + "child", None, g + "base", g + "other", True),
    }
    for c in data["changes"]:
        assert set(c) == {"change", "type", "member", "old", "new", "breaking", "source", "line"}
    where = {(c["change"], c["member"]): (c["source"], c["line"]) for c in data["changes"]}
    # The place is the row in the new page; a removed type's is its old page.
    weight_line = NEW_PAGES["thing.md"].splitlines().index("| weight | Double | The weight. |") + 1
    assert where[("property_added", "weight")] == ("thing.md", weight_line)
    assert where[("type_removed", None)] == ("gone.md", 1)


def test_removed_property_and_navigation_flip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rel = (
        "## Relationships\n\n| Relationship | Type | Description |\n|:--|:--|:--|\n"
        "| owner | [thing](thing.md) | The owner. |\n"
    )
    old = write_pages(
        tmp_path / "o", {"thing.md": page("thing", [("a", "String"), ("b", "String")])}
    )
    new = write_pages(tmp_path / "n", {"thing.md": page("thing", [("a", "String")], extra=rel)})
    old2 = write_pages(
        tmp_path / "o2", {"thing.md": page("thing", [("owner", "[thing](thing.md)")])}
    )
    _, data = run_json(capsys, str(old), str(new))
    got = [(c["change"], c["member"], c["old"], c["new"], c["breaking"]) for c in data["changes"]]
    assert got == [
        # a relationship target is an entity (resolve: "kinds follow relationship targets")
        ("kind_changed", None, "complex", "entity", True),
        ("property_removed", "b", "Edm.String", None, True),
        ("property_added", "owner", None, "microsoft.graph.thing", False),
    ]
    _, data = run_json(capsys, str(old2), str(new))
    flips = [c for c in data["changes"] if c["change"] == "navigation_changed"]
    assert [(c["member"], c["old"], c["new"]) for c in flips] == [
        ("owner", "structural", "navigation")
    ]


def test_a_tree_against_itself_is_empty_and_passes_fail_on_any(
    trees: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, _ = trees
    assert main(["diff", str(old), str(old), "--fail-on", "any"]) == 0
    assert capsys.readouterr().out == "No semantic changes.\n"
    assert main(["diff", str(old), str(old), "--format", "json", "--fail-on", "any"]) == 0
    assert json.loads(capsys.readouterr().out) == {"version": 1, "changes": []}


@pytest.mark.parametrize(
    ("fail_on", "pages", "expected"),
    [
        ("breaking", NEW_PAGES, 1),
        ("any", NEW_PAGES, 1),
        ("never", NEW_PAGES, 0),
        # only additions: not breaking
        ("breaking", {**OLD_PAGES, "fresh.md": NEW_PAGES["fresh.md"]}, 0),
        ("any", {**OLD_PAGES, "fresh.md": NEW_PAGES["fresh.md"]}, 1),
    ],
)
def test_fail_on(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fail_on: str,
    pages: dict[str, str],
    expected: int,
) -> None:
    old = write_pages(tmp_path / "old", OLD_PAGES)
    new = write_pages(tmp_path / "new", pages)
    assert main(["diff", str(old), str(new), "--fail-on", fail_on]) == expected


def test_default_fails_on_breaking_only(tmp_path: Path) -> None:
    old = write_pages(tmp_path / "old", OLD_PAGES)
    added = write_pages(tmp_path / "added", {**OLD_PAGES, "fresh.md": NEW_PAGES["fresh.md"]})
    assert main(["diff", str(old), str(added)]) == 0
    assert main(["diff", str(added), str(old)]) == 1  # the reverse removes a type


def test_text_and_markdown_put_breaking_changes_first(
    trees: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = trees
    main(["diff", str(old), str(new), "--fail-on", "never"])
    text = capsys.readouterr().out
    assert text.splitlines()[0] == "8 change(s) in 5 type(s): 5 breaking, 3 not breaking"
    assert text.index("Breaking changes (5):") < text.index("Other changes (3):")
    breaking_part = text[: text.index("Other changes")]
    # Pages are named as given on the command line (here absolute paths).
    assert f"property type changed: size: Edm.Int32 -> Edm.Int64  [{new}/thing.md:" in breaking_part
    assert "enum member removed: green" in breaking_part
    assert "property added" not in breaking_part

    main(["diff", str(old), str(new), "--fail-on", "never", "--format", "markdown"])
    md = capsys.readouterr().out
    assert md.index("#### Breaking changes (5)") < md.index("<summary>Other changes (3)</summary>")
    assert f"| `gone` | type removed |  |  |  | `{old}/gone.md:1` |" in md
    # rows of one type follow each other, the type named on the first
    assert "| `thing` | property type changed | `size` | `Edm.Int32` | `Edm.Int64` |" in md
    assert "|  | property type changed | `tags` | `Collection(Edm.String)` | `Edm.String` |" in md
    assert "<details><summary>Other changes (3)</summary>" in md
    assert f"| `thing` | property added | `weight` |  | `Edm.Double` | `{new}/thing.md:14` |" in md


def test_markdown_is_cut_with_a_count() -> None:
    changes = [
        Change("property_added", f"microsoft.graph.t{i:04}", "p", None, "Edm.String", "t.md", i)
        for i in range(2000)
    ]
    md = to_markdown(changes, limit=5000)
    assert len(md) <= 5000
    shown = md.count(" | property added |")
    assert 0 < shown < 2000
    assert md.rstrip().endswith(
        f"_... {2000 - shown} more change(s) not shown; run `docgen diff` for the full list._"
    )
    assert "more change(s) not shown" not in to_markdown(changes[:300])  # fits the default limit
    assert to_text(changes).count("property added") == 2000


def test_markdown_opens_with_the_marker_and_names_the_trees_as_given(
    trees: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """CI finds its earlier comment by the marker and updates it, even to 'no changes'."""
    monkeypatch.chdir(trees[0].parent)
    main(["diff", "old", "new", "--format", "markdown", "--fail-on", "never"])
    md = capsys.readouterr().out
    assert md.splitlines()[:4] == [
        "<!-- docgen-diff -->",
        "### docgen diff: `old` → `new`",
        "",
        "**8 change(s) in 5 type(s): 5 breaking, 3 not breaking**",
    ]
    assert MARKER == "<!-- docgen-diff -->"
    main(["diff", "new", "./new", "--format", "markdown"])
    assert capsys.readouterr().out == (
        "<!-- docgen-diff -->\n### docgen diff: `new` → `./new`\n\nNo semantic changes.\n"
    )


def test_short_names_are_the_shortest_unique_suffix() -> None:
    names = [
        "microsoft.graph.trip",
        "microsoft.graph.fleetRecords.trip",
        "microsoft.graph.vehicle",
        "microsoft.graph.callRecords.session",
        "other.Vehicle",
    ]
    assert short_names(names) == {
        "microsoft.graph.trip": "graph.trip",
        "microsoft.graph.fleetRecords.trip": "fleetRecords.trip",
        "microsoft.graph.vehicle": "graph.vehicle",  # other.Vehicle differs only in case
        "microsoft.graph.callRecords.session": "session",
        "other.Vehicle": "other.Vehicle",
    }


def ns_page(name: str, namespace: str, props: list[tuple[str, str]]) -> str:
    return page(name, props).replace("Namespace: microsoft.graph", f"Namespace: {namespace}")


def test_people_see_names_unique_across_both_trees(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the sub-namespace's `trip` changes, but the root namespace has a `trip`
    too: the report must not call it plain `trip`."""
    common = {"trip.md": page("trip", [("id", "String")])}
    old = write_pages(
        tmp_path / "o",
        {**common, "fleet-trip.md": ns_page("trip", "microsoft.graph.fleet", [("km", "Int32")])},
    )
    new = write_pages(
        tmp_path / "n",
        {
            **common,
            "fleet-trip.md": ns_page(
                "trip", "microsoft.graph.fleet", [("km", "Int32"), ("crew", "depot")]
            ),
            "depot.md": page("depot", [("name", "String")]),
        },
    )
    main(["diff", str(old), str(new), "--format", "markdown"])
    md = capsys.readouterr().out
    assert f"| `fleet.trip` | property added | `crew` |  | `depot` | `{new}/fleet-trip.md:" in md
    assert "| `depot` | type added |" in md
    main(["diff", str(old), str(new)])
    text = capsys.readouterr().out
    assert f"\n  fleet.trip\n    property added: crew (depot)  [{new}/fleet-trip.md:" in text
    _, data = run_json(capsys, str(old), str(new))  # JSON keeps qualified names
    assert [(c["type"], c["member"], c["new"]) for c in data["changes"]] == [
        ("microsoft.graph.depot", None, None),
        ("microsoft.graph.fleet.trip", "crew", "microsoft.graph.depot"),
    ]


def values_page(values: list[str]) -> str:
    listed = ", ".join(f"`{v}`" for v in values)
    cell = f"The state. Possible values are: {listed}." if values else "The state."
    return page("job", [("id", "String")]).replace(
        "| id | String | The id. |", f"| id | String | The id. |\n| state | String | {cell} |"
    )


def test_an_enum_named_after_a_property_shows_as_that_property(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """docgen names the enum `jobState`; Graph has no such type, so the people's forms
    speak of `job.state`'s values. The JSON (a fixed contract) still names the enum."""
    none = write_pages(tmp_path / "none", {"job.md": values_page([])})
    two = write_pages(tmp_path / "two", {"job.md": values_page(["queued", "done"])})
    three = write_pages(tmp_path / "three", {"job.md": values_page(["queued", "done", "failed"])})
    line = values_page([]).splitlines().index("| state | String | The state. |") + 1

    _, data = run_json(capsys, str(two), str(three))
    assert [(c["change"], c["type"], c["member"]) for c in data["changes"]] == [
        ("enum_member_added", "microsoft.graph.jobState", "failed")
    ]
    main(["diff", str(two), str(three), "--format", "markdown"])
    md = capsys.readouterr().out
    assert f"| `job` | value added | `state` |  | `failed` | `{three}/job.md:{line}` |" in md
    assert "jobState" not in md and "type added" not in md
    main(["diff", str(three), str(two)])
    text = capsys.readouterr().out
    assert text.splitlines()[0] == "1 change(s) in 1 type(s): 1 breaking, 0 not breaking"
    assert f"  job\n    value removed: state: failed  [{three}/job.md:{line}]" in text

    main(["diff", str(none), str(two), "--format", "markdown"])
    md = capsys.readouterr().out
    assert f"| `job` | values listed | `state` |  |  | `{two}/job.md:{line}` |" in md
    assert "jobState" not in md
    _, data = run_json(capsys, str(two), str(none))
    assert [(c["change"], c["type"], c["breaking"]) for c in data["changes"]] == [
        ("type_removed", "microsoft.graph.jobState", True)
    ]
    main(["diff", str(two), str(none), "--fail-on", "never"])
    text = capsys.readouterr().out
    assert (
        f"Breaking changes (1):\n  job\n    values no longer listed: state  [{two}/job.md:" in text
    )


def test_unreadable_sources_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", str(tmp_path / "nope"), str(tmp_path)]) == 2
    assert "no such file or folder" in capsys.readouterr().err


# --- git: sources ---------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
        "PATH": "/usr/bin:/bin:/usr/local/bin",
    }
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose `docs/` holds OLD_PAGES at tag v1 and NEW_PAGES at main."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "up stream@repo"  # a space and an '@' in the repository path
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    write_pages(repo / "docs", OLD_PAGES)
    (repo / "docs" / ".hidden").mkdir()
    (repo / "docs" / ".hidden" / "skip.md").write_text(page("hiddenThing", [("z", "String")]))
    (repo / "README.md").write_text("# not a resource page\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "v1")
    git(repo, "tag", "v1")
    for name in OLD_PAGES:
        (repo / "docs" / name).unlink()
    write_pages(repo / "docs", NEW_PAGES)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "v2")
    # The working tree differs from both commits: git: sources must not read it.
    (repo / "docs" / "thing.md").write_text(page("thing", [("dirty", "String")]))
    (repo / "docs" / "untracked.md").write_text(page("untracked", [("u", "String")]))
    return repo


def test_git_sources_match_folders(
    repo: Path, trees: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = trees
    _, from_folders = run_json(capsys, str(old), str(new))
    _, from_git = run_json(capsys, f"git:{repo}@v1:docs", f"git:{repo}@main:docs/")
    assert from_git == from_folders
    assert len(from_git["changes"]) == 8
    _, mixed = run_json(capsys, f"git:{repo}@HEAD~1:docs", str(new))
    assert mixed == from_folders


def test_git_pages_are_the_committed_blobs(repo: Path) -> None:
    pages = dict(read_pages(f"git:{repo}@main:docs"))
    assert sorted(pages) == sorted(NEW_PAGES)  # no hidden folder, no untracked or dirty file
    assert pages["thing.md"] == NEW_PAGES["thing.md"].encode()
    whole = dict(read_pages(f"git:{repo}@v1:"))
    assert sorted(whole) == ["README.md", *sorted(f"docs/{n}" for n in OLD_PAGES)]
    one = read_pages(f"git:{repo}@v1:docs/gone.md")
    assert one == [("gone.md", OLD_PAGES["gone.md"].encode())]


def test_git_source_in_other_commands(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", f"git:{repo}@v1:docs", "--json"]) == 0
    names = [t["name"] for t in json.loads(capsys.readouterr().out)["types"]]
    assert names == sorted(["base", "child", "color", "gone", "other", "thing"], key=str.lower)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("git:{repo}@nosuchref:docs", "unknown ref 'nosuchref'"),
        ("git:{repo}@main:nosuchdir", "no such path"),
        ("git:{tmp}@main:docs", "not a git repository"),
        ("git:{repo}@-x:docs", "invalid ref"),
        ("git:{repo}@main:../x", "inside the repository"),
        ("git:nohost", "expected git:REPO@REF:PATH"),
    ],
)
def test_bad_git_sources_are_one_line_usage_errors(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], spec: str, message: str
) -> None:
    bare = tmp_path / "plain"
    bare.mkdir()
    text = spec.format(repo=repo, tmp=bare)
    assert main(["diff", text, text]) == 2
    err = capsys.readouterr().err
    assert err.startswith("docgen: error: git:") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_parse_spec_splits_at_the_last_at() -> None:
    spec = parse_spec("git:../a@b/repo@origin/main:api-reference/v1.0/resources/")
    assert (spec.repo, spec.ref, spec.path) == (
        "../a@b/repo",
        "origin/main",
        "api-reference/v1.0/resources",
    )
    with pytest.raises(GitSourceError):
        parse_spec("git:repo@:docs")


# --- the real pair of corpus snapshots --------------------------------------------------


@pytest.fixture(scope="module")
def real_changes(shared_dir: Path) -> dict[tuple[str, str, str | None], Change]:
    old_root, new_root = (
        require_shared(shared_dir.joinpath("corpus", snap, *V1_RESOURCES), f"the {snap} corpus")
        for snap in ("graph-docs-2021-01", "graph-docs-2021-07")
    )
    changes = diff_models(load_model([old_root]), load_model([new_root]))
    return {(c.change, c.type, c.member): c for c in changes}


G = "microsoft.graph."

# Each row was checked by reading both versions of the page (line numbers are the
# new page's, or the old page's for a removal):
REAL = [
    # accessreviewinstance.md exists only in 2021-07 ("# accessReviewInstance resource type").
    ("type_added", G + "accessReviewInstance", None, None, None, "accessreviewinstance.md"),
    # endpoint.md ("# Endpoint resource type", microsoft.graph) exists only in 2021-01.
    ("type_removed", G + "endpoint", None, None, None, "endpoint.md"),
    # mailfolder.md:80 in 2021-07: |isHidden|Boolean|...; no isHidden in 2021-01.
    ("property_added", G + "mailFolder", "isHidden", None, "Edm.Boolean", "mailfolder.md:80"),
    # serviceprincipal.md:112 in 2021-01: |endpoints|[endpoint](endpoint.md) collection|...;
    # the 2021-07 table has no endpoints row.
    (
        "property_removed",
        G + "servicePrincipal",
        "endpoints",
        "Collection(microsoft.graph.endpoint)",
        None,
        "serviceprincipal.md:112",
    ),
    # room.md:33: | capacity | String | in 2021-01, | capacity | Int32 | in 2021-07.
    ("property_type_changed", G + "room", "capacity", "Edm.String", "Edm.Int32", "room.md:33"),
    # changenotification.md:34: | subscriptionId | string | -> | subscriptionId | GUID |.
    (
        "property_type_changed",
        G + "changeNotification",
        "subscriptionId",
        "Edm.String",
        "Edm.Guid",
        "changenotification.md:34",
    ),
    # enums.md "### riskDetail values": 2021-07 (line 1065) lists none, hidden and
    # adminConfirmedUserCompromised, which the 2021-01 list (line 685) lacks.
    ("enum_member_added", G + "riskDetail", "none", None, None, "enums.md"),
    ("enum_member_added", G + "riskDetail", "hidden", None, None, "enums.md"),
    (
        "enum_member_added",
        G + "riskDetail",
        "adminConfirmedUserCompromised",
        None,
        None,
        "enums.md",
    ),
    # serviceprincipal.md preferredSingleSignOnMode: "password, saml, external, and oidc"
    # (2021-01:96) became "`password`, `saml`, `notSupported`, and `oidc`" (2021-07:103).
    (
        "enum_member_removed",
        G + "servicePrincipalPreferredSingleSignOnMode",
        "external",
        None,
        None,
        "serviceprincipal.md",
    ),
    (
        "enum_member_added",
        G + "servicePrincipalPreferredSingleSignOnMode",
        "notSupported",
        None,
        None,
        "serviceprincipal.md",
    ),
    # deviceManagement is merged from many intune-*-devicemanagement.md pages. 2021-01 lists
    # intuneAccountId in intune-shared-devicemanagement.md's Relationships table (line 61);
    # 2021-07 in the Properties table of intune-deviceconfig-devicemanagement.md (line 29).
    (
        "navigation_changed",
        G + "deviceManagement",
        "intuneAccountId",
        "navigation",
        "structural",
        "intune-deviceconfig-devicemanagement.md:29",
    ),
]
# No base changes between the snapshots: aaduserconversationmember.md's annotation said
# "microsoft.graph.entity" in 2021-01 (line 48) and "microsoft.graph.conversationMember" in
# 2021-07 (line 56), but both snapshots' prose says "This type inherits from
# [conversationMember]" (line 15), which derives from entity: the base was conversationMember
# all along, and the diff says nothing (base changes are covered on written pages above).


@pytest.mark.parametrize(("change", "type_", "member", "old", "new", "where"), REAL)
def test_real_changes_between_snapshots(
    real_changes: dict[tuple[str, str, str | None], Change],
    change: str,
    type_: str,
    member: str | None,
    old: str | None,
    new: str | None,
    where: str,
) -> None:
    found = real_changes.get((change, type_, member))
    assert found is not None, f"{change} {type_} {member} not reported"
    assert (found.old, found.new) == (old, new)
    source, _, line = where.partition(":")
    assert found.source == source
    if line:
        assert found.line == int(line)
    breaking = {
        "type_removed",
        "property_removed",
        "property_type_changed",
        "base_changed",
        "enum_member_removed",
    }
    assert found.breaking is (change in breaking)


def test_real_pair_covers_every_common_kind(
    real_changes: dict[tuple[str, str, str | None], Change],
) -> None:
    kinds = Counter(change for change, _, _ in real_changes)
    for kind in (
        "type_added",
        "type_removed",
        "property_added",
        "property_removed",
        "property_type_changed",
        "enum_member_added",
        "enum_member_removed",
    ):
        assert kinds[kind] >= 1, kind
    assert kinds["base_changed"] == 0  # see the note under REAL
    assert len({r[0] for r in REAL}) >= 8


def test_a_property_moving_to_a_new_base_is_not_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The class users see keeps the field: only the base change is reported."""
    old = write_pages(
        tmp_path / "o",
        {
            "member.md": page("member", [("id", "String"), ("role", "String"), ("since", "Int32")]),
            "person.md": page("person", [("role", "String"), ("since", "Int64")]),
        },
    )
    new = write_pages(
        tmp_path / "n",
        {
            "member.md": page("member", [("id", "String")], base="person"),
            "person.md": page("person", [("role", "String"), ("since", "Int64")]),
        },
    )
    _, data = run_json(capsys, str(old), str(new))
    got = [(c["change"], c["type"], c["member"], c["old"], c["new"]) for c in data["changes"]]
    assert got == [
        ("base_changed", "microsoft.graph.member", None, None, "microsoft.graph.person"),
        ("property_type_changed", "microsoft.graph.member", "since", "Edm.Int32", "Edm.Int64"),
    ]
    _, back = run_json(capsys, str(new), str(old))
    got = [(c["change"], c["member"], c["old"], c["new"]) for c in back["changes"]]
    assert got == [
        ("base_changed", None, "microsoft.graph.person", None),
        ("property_type_changed", "since", "Edm.Int64", "Edm.Int32"),
    ]


def test_a_merged_types_property_points_at_its_own_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = page("thing", [("a", "String")])
    old = write_pages(tmp_path / "o", {"a.md": first, "b.md": page("thing", [("b", "String")])})
    second = page("thing", [("b", "String"), ("c", "Int32")])
    new = write_pages(tmp_path / "n", {"a.md": first, "b.md": second})
    _, data = run_json(capsys, str(old), str(new))
    got = [(c["change"], c["member"], c["source"], c["line"]) for c in data["changes"]]
    line = second.splitlines().index("| c | Int32 | The c. |") + 1
    assert got == [("property_added", "c", "b.md", line)]


def test_errors_in_either_tree_fail_even_with_fail_on_never(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_pages(tmp_path / "good", OLD_PAGES)
    bad = write_pages(tmp_path / "bad", OLD_PAGES)
    unreadable_page(bad / "a.md")
    assert main(["diff", str(good), str(bad), "--fail-on", "never"]) == 1
    err = capsys.readouterr().err
    assert re.search(r"^NEW: \S+/bad/a\.md:1:1: error DG001 ", err, re.MULTILINE)
    assert "the diff may be incomplete" in err
