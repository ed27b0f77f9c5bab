"""README.md stays true: its commands, options, configuration keys and template
reference are compared with what the code actually accepts and passes.

The README is read with markdown-it-py tokens (headings, tables, code spans,
fences), the same way docgen reads documentation pages.
"""

from __future__ import annotations

import argparse
import os
import shlex
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

from docgen import config, render
from docgen.cli import _parser
from docgen.config import tomllib  # tomli on Python 3.10
from docgen.pipeline import load_model

REPO_ROOT = Path(__file__).resolve().parent.parent
README = REPO_ROOT / "README.md"
SECTIONS = (
    "Set up",
    "A walk-through",
    "Commands and options",
    "Diagnostic codes",
    "Configuration",
    "Templates",
    "Snapshots",
    "CI",
)


def tokens() -> list[Token]:
    md = MarkdownIt("commonmark").enable("table")
    return md.parse(README.read_text(encoding="utf-8"))


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


def test_stable_sections_exist() -> None:
    titles = {text for _, _, text in headings(tokens())}
    missing = [title for title in SECTIONS if title not in titles]
    assert not missing


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
    (rows, *_) = tables(section(tokens(), "Global options"))
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


def test_set_up_is_two_commands() -> None:
    blocks = [t.content for t in section(tokens(), "Set up") if t.type == "code_block"]
    assert len(blocks) == 1
    lines = blocks[0].strip().splitlines()
    assert len(lines) == 2
    assert "pip install -e '.[test]'" in lines[0] and "docgen build docs-src/" in lines[0]
    assert lines[1].strip() == "python -m pytest -q"


# --- templates: the reference table against what render() passes ---


def template_reference() -> dict[str, set[str]]:
    (rows, *_) = tables(section(tokens(), "Template reference"))
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
    rows = tables(section(tokens(), "Template reference"))[1]
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
