"""README.md stays true: its commands, options, configuration keys and template
reference (docs/templates.md) are compared with what the code actually accepts and passes; so are
CONTRIBUTING.md's set-up and docs/contracts.md's JSON forms.

The documents are read with markdown-it-py tokens (headings, tables, code spans,
fences), the same way docgen reads documentation pages.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from docgen import config, diff, render
from docgen.cli import _parser
from docgen.config import tomllib  # tomli on Python 3.10
from docgen.pipeline import load_model

REPO_ROOT = Path(__file__).resolve().parent.parent
README = REPO_ROOT / "README.md"
CONTRIBUTING = REPO_ROOT / "CONTRIBUTING.md"
CONTRACTS = REPO_ROOT / "docs" / "contracts.md"
TEMPLATE_REFERENCE = REPO_ROOT / "docs" / "templates.md"
# The README's top-level sections, in the order its readers need them.
ORDER = (
    "Install",
    "Quick start on your own docs",
    "The generated package",
    "Keeping it in sync",
    "Configuration",
    "Commands and options",
    "diff",
    "Templates",
    "Diagnostic codes",
    "Contributing",
)
SECTIONS = ("From a clone", "A walk-through", "pre-commit", "CI")


def tokens(path: Path = README) -> list[Token]:
    md = MarkdownIt("commonmark").enable("table")
    return md.parse(path.read_text(encoding="utf-8"))


def headings(toks: list[Token]) -> Iterator[tuple[int, int, str]]:
    """(token index, level, text) of each heading."""
    for i, tok in enumerate(toks):
        if tok.type == "heading_open":
            yield i, int(tok.tag[1:]), toks[i + 1].content


def section(toks: list[Token], title: str) -> list[Token]:
    """The tokens under the heading `title`, up to the next heading of its level or above."""
    found = [(i, level) for i, level, text in headings(toks) if text == title]
    assert found, f"README has no heading {title!r}"
    start, level = found[0]
    end = next(
        (i for i, lv, _ in headings(toks) if i > start and lv <= level),
        len(toks),
    )
    return toks[start + 3 : end]


def tables(toks: list[Token]) -> list[list[list[Token]]]:
    """Each table's body rows, each row a list of cells (the cell's inline token)."""
    out: list[list[list[Token]]] = []
    rows: list[list[Token]] | None = None
    in_body = False
    for i, tok in enumerate(toks):
        if tok.type == "table_open":
            rows = []
        elif tok.type == "tbody_open":
            in_body = True
        elif tok.type == "tbody_close":
            in_body = False
        elif tok.type == "tr_open" and in_body and rows is not None:
            rows.append([])
        elif tok.type == "inline" and in_body and rows is not None:
            if toks[i - 1].type == "td_open":
                rows[-1].append(tok)
        elif tok.type == "table_close" and rows is not None:
            out.append(rows)
            rows = None
    return out


def code_spans(cell: Token) -> list[str]:
    return [child.content for child in cell.children or [] if child.type == "code_inline"]


def options_in(rows: list[list[Token]]) -> set[str]:
    """`-o OUT`, `--output OUT`, `DOCS` in the first column -> {"-o", "--output", "DOCS"}."""
    return {span.split()[0] for row in rows for span in code_spans(row[0])}


# --- the parser's view ---


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("docgen has no subcommands")


def accepted(parser: argparse.ArgumentParser, with_help: bool) -> set[str]:
    names: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            continue
        if isinstance(action, argparse._HelpAction) and not with_help:
            continue
        if action.option_strings:
            names.update(action.option_strings)
        else:
            names.add(str(action.metavar or action.dest.upper()))
    return names


# --- tests ---


def test_sections_come_in_the_readers_order() -> None:
    top = [text for _, level, text in headings(tokens()) if level == 2]
    assert top == list(ORDER)
    titles = {text for _, _, text in headings(tokens())}
    assert not [title for title in SECTIONS if title not in titles]


def test_readme_is_under_20_kb() -> None:
    assert len(README.read_bytes()) < 20_000


DOCS = (README, CONTRIBUTING, CONTRACTS, REPO_ROOT / "CHANGELOG.md")


def test_no_line_installs_the_unrelated_docgen_distribution() -> None:
    """`docgen` on the package index is another project; ours is graph-docgen."""
    wrong = re.compile(
        r"\b(?:pip|pipx|uv tool|uv pip) install\s+(?:-\S+\s+)*[\"']?docgen(?![\w./-])"
    )
    for path in DOCS:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not wrong.search(line), f"{path.name}:{number}: {line}"
    assert wrong.search("pip install docgen") and wrong.search("pipx install 'docgen'")
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "graph-docgen"
    assert project["scripts"] == {"docgen": "docgen.cli:main"}


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces -> '-'."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def links(path: Path) -> Iterator[str]:
    for tok in tokens(path):
        for child in tok.children or []:
            if child.type == "link_open":
                yield str(child.attrs["href"])


def test_links_between_the_documents_resolve() -> None:
    """Every relative link names a file of the repository, and an anchor one of its
    headings: the README cites nothing that is not in the repository."""
    for path in DOCS:
        for href in links(path):
            if href.startswith(("http://", "https://")):
                continue
            target, _, anchor = href.partition("#")
            file = (path.parent / target).resolve() if target else path
            assert file.is_file(), f"{path.name}: {href}"
            if anchor:
                slugs = {slug(text) for _, _, text in headings(tokens(file))}
                assert anchor in slugs, f"{path.name}: {href}"
    for path in (README, CONTRACTS):
        text = path.read_text(encoding="utf-8")
        assert "DESIGN.md" not in text and "PARSING.md" not in text, path.name


def test_every_command_has_a_section_listing_exactly_its_options() -> None:
    toks = section(tokens(), "Commands and options")
    documented: dict[str, set[str]] = {}
    for i, _, _ in headings(toks):
        spans = code_spans(toks[i + 1])
        if len(spans) == 1 and spans[0].startswith("docgen "):
            command = spans[0].split()[1]
            body = section(toks, toks[i + 1].content)
            found = tables(body)
            assert found, f"no option table under `docgen {command}`"
            documented[command] = options_in(found[0])
    commands = subcommands(_parser())
    assert sorted(documented) == sorted(commands)
    for name, sub in commands.items():
        assert documented[name] == accepted(sub, with_help=False), name


def test_global_options_match_the_main_parser() -> None:
    rows, *_ = tables(section(tokens(), "Global options"))
    assert options_in(rows) == accepted(_parser(), with_help=True)


def test_help_output_names_every_documented_option() -> None:
    """What a user reads in `docgen COMMAND --help` is what the README lists."""
    for name, sub in subcommands(_parser()).items():
        text = sub.format_help()
        for option in accepted(sub, with_help=False):
            assert option in text, (name, option)


def test_configuration_example_uses_exactly_the_known_keys() -> None:
    fences = [
        t.content
        for t in section(tokens(), "Configuration")
        if t.type == "fence" and t.info.strip() == "toml"
    ]
    assert len(fences) == 1
    table = tomllib.loads(fences[0])["tool"]["docgen"]
    assert sorted(table) == sorted(config.KEYS)


def set_up_commands(path: Path, title: str) -> list[str]:
    blocks = [t.content for t in section(tokens(path), title) if t.type == "code_block"]
    assert len(blocks) == 1
    return blocks[0].strip().splitlines()


def test_set_up_is_two_commands() -> None:
    lines = set_up_commands(README, "From a clone")
    assert len(lines) == 2
    assert "pip install -e '.[test]'" in lines[0] and "docgen build docs-src/" in lines[0]
    assert lines[1].strip() == "python -m pytest -q"
    assert set_up_commands(CONTRIBUTING, "Set up") == lines


def test_ci_runs_the_readmes_test_command() -> None:
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in ci.splitlines() if line.strip() and line[0] != "#"]
    install, test = set_up_commands(README, "From a clone")
    assert commands[-1] == test.strip()
    assert "python -m pip install --quiet -e '.[test]'" in commands
    assert "pip install -e '.[test]'" in install


def test_snapshot_refresh_is_documented_where_the_readme_points() -> None:
    pointer = next(t for t in section(tokens(), "Contributing") if t.type == "inline")
    assert "CONTRIBUTING.md" in pointer.content and "snapshots" in pointer.content
    body = [t.content for t in section(tokens(CONTRIBUTING), "Snapshots") if t.type == "code_block"]
    commands = body[0].splitlines()
    assert commands[0].startswith("docgen build docs-src/")
    assert commands[1].startswith("python -m pytest --snapshot-update tests/test_generated.py")


def test_ci_recipe_updates_one_comment_by_the_diff_marker() -> None:
    fences = [t.content for t in section(tokens(), "CI") if t.type == "fence"]
    (workflow,) = [f for f in fences if "docgen diff" in f]
    assert "--format markdown" in workflow
    assert f'startswith("{diff.MARKER}")' in workflow
    assert "-X PATCH" in workflow and "gh pr comment" in workflow


# --- templates: the reference table against what render() passes ---


def template_reference() -> dict[str, set[str]]:
    rows, *_ = tables(section(tokens(TEMPLATE_REFERENCE), "Template reference"))
    return {code_spans(row[0])[0]: set(code_spans(row[2])) for row in rows}


def test_every_builtin_template_is_documented() -> None:
    on_disk = sorted(p.name for p in render.BUILTIN_TEMPLATES.glob("*.j2"))
    assert sorted(template_reference()) == on_disk


@pytest.fixture
def rendered_variables(monkeypatch: pytest.MonkeyPatch) -> dict[str, set[str]]:
    """The variables render() passes to each template, recorded while building docs-src/."""
    seen: dict[str, set[str]] = defaultdict(set)
    original = jinja2.Template.render

    def recording(self: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        name = self.name or "?"
        seen[name].update(kwargs)
        for arg in args:
            seen[name].update(dict(arg))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", recording)
    render.render(load_model([REPO_ROOT / "docs-src"]), "graph_models")
    return dict(seen)


def test_documented_template_variables_are_the_ones_passed(
    rendered_variables: dict[str, set[str]],
) -> None:
    """After a change to render.py, this names the README rows to update."""
    documented = template_reference()
    for name, variables in rendered_variables.items():
        assert documented.get(name) == variables, name
    for name, variables in documented.items():
        if name not in rendered_variables:  # imported or read as data, never rendered
            assert variables == set(), name


def test_documented_filters_are_the_ones_installed() -> None:
    rows = tables(section(tokens(TEMPLATE_REFERENCE), "Template reference"))[1]
    custom = set(render.make_environment().filters) - set(jinja2.Environment().filters)
    assert {code_spans(row[0])[0] for row in rows} == custom


# --- the walk-through's example runs as shown ---


def test_walk_through_import_example(tmp_path: Path) -> None:
    fences = [t.content for t in section(tokens(), "A walk-through") if t.type == "fence"]
    lines = fences[0].splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("$ PYTHONPATH=generated "))
    env_part, _, command = lines[index][2:].partition(" ")
    argv = shlex.split(command)
    assert argv[0] == "python"
    run = subprocess.run(
        [sys.executable, *argv[1:]],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT / "generated")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert env_part == "PYTHONPATH=generated"
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [lines[index + 1]]


# --- docs/contracts.md: its examples have the keys docgen prints ---


def contract_example(title: str) -> Any:
    (fence,) = [t.content for t in section(tokens(CONTRACTS), title) if t.type == "fence"]
    return json.loads(fence)


def keys(items: list[dict[str, Any]]) -> set[frozenset[str]]:
    return {frozenset(item) for item in items}


def test_parse_json_contract_example_has_the_printed_keys(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from docgen.cli import main

    main(["parse", str(REPO_ROOT / "docs-src"), "--json"])
    real = json.loads(capsys.readouterr().out)
    doc = contract_example("`docgen parse --json`")
    assert set(doc) == set(real) and doc["version"] == real["version"]
    by_kind = {t["kind"] == "enum": frozenset(t) for t in real["types"]}
    assert {frozenset(t) for t in doc["types"]} == set(by_kind.values())
    structured = [t for t in real["types"] if t["kind"] != "enum"]
    real_props = keys([p for t in structured for p in t["properties"]])
    assert keys([p for t in doc["types"] if "properties" in t for p in t["properties"]]) == (
        real_props
    )  # with and without the `enum` extension
    enum_members = keys([m for t in real["types"] if t["kind"] == "enum" for m in t["members"]])
    assert keys(doc["types"][1]["members"]) == enum_members
    assert keys(doc["diagnostics"]) == keys(real["diagnostics"])


def test_diff_json_contract_lists_every_change_and_its_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from docgen.cli import main

    old = tmp_path / "old"
    old.mkdir()
    shutil.copy(REPO_ROOT / "docs-src" / "asyncjobstatus.md", old)
    main(["diff", str(old), str(REPO_ROOT / "docs-src"), "--format", "json"])
    real = json.loads(capsys.readouterr().out)
    doc = contract_example("`docgen diff --format json`")
    assert set(doc) == set(real) and doc["version"] == real["version"]
    assert real["changes"] and keys(doc["changes"]) == keys(real["changes"])
    rows, *_ = tables(section(tokens(CONTRACTS), "`docgen diff --format json`"))
    listed: dict[str, str] = {}
    for row in rows:
        breaking = row[3].content
        for kind in code_spans(row[0]):
            listed[kind] = breaking
    assert sorted(listed) == sorted(diff.BREAKING)
    for kind, breaking in listed.items():
        if breaking == "removal":  # a pair of which the removal breaks
            assert diff.BREAKING[kind] is kind.endswith("_removed"), kind
        else:
            assert breaking == str(diff.BREAKING[kind]).lower(), kind


def test_lint_json_contract_example_has_the_printed_keys(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from docgen.cli import main

    main(["lint", str(REPO_ROOT / "docs-src"), "--format", "json"])
    real = json.loads(capsys.readouterr().out)
    doc = contract_example("`docgen lint --format json`")
    assert set(doc) == set(real)
    assert keys(doc["diagnostics"]) == keys(real["diagnostics"])


# --- diagnostic codes: every code docgen can print is documented ---


def test_every_diagnostic_code_in_the_code_is_documented() -> None:
    """A new DGnnn in docgen/ without a row in docs/diagnostics.md fails here."""
    used: set[str] = set()
    for path in (REPO_ROOT / "docgen").glob("*.py"):
        used.update(re.findall(r"\bDG\d{3}\b", path.read_text(encoding="utf-8")))
    rows, *_ = tables(tokens(REPO_ROOT / "docs" / "diagnostics.md"))
    documented = {row[0].content for row in rows}
    assert used and used <= documented, sorted(used - documented)
