"""The `docgen` command line: build, check, parse and lint.

Exit codes are a contract: 0 success, 1 errors in the docs (or drift), 2 usage.
Any internal failure is reported as one line naming the page being processed,
never as a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

import jinja2

from . import __version__, config
from .discover import DiscoverError
from .format import FormatError, format_sources
from .irjson import to_json
from .model import Model
from .pipeline import CURRENT_PAGE, load_model
from .render import render
from .write import compare_tree, write_tree

DEFAULT_OUTPUT = Path("generated")
DEFAULT_PACKAGE = "graph_models"


class UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="docgen",
        description="Generate typed Python models from Microsoft Graph resource pages.",
    )
    parser.add_argument("--version", action="version", version=f"docgen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def docs_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "docs",
            nargs="*",
            type=Path,
            metavar="DOCS",
            help="folders (searched recursively for *.md) or files; default: [tool.docgen] docs",
        )

    def out_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("-o", "--output", type=Path, help="output folder (default: generated)")
        p.add_argument("--package", help="package name (default: graph_models)")
        p.add_argument(
            "--templates", type=Path, help="folder of templates overriding the built-in ones"
        )

    build = sub.add_parser("build", help="parse, resolve, render, format and write the package")
    docs_arg(build)
    out_args(build)
    build.add_argument("-v", "--verbose", action="store_true", help="print every warning")

    check = sub.add_parser("check", help="build in memory and compare with the output folder")
    docs_arg(check)
    out_args(check)
    check.add_argument("-v", "--verbose", action="store_true", help="print every warning")

    parse = sub.add_parser("parse", help="print the resolved model")
    docs_arg(parse)
    parse.add_argument("--json", action="store_true", required=True, help="print it as JSON")

    lint = sub.add_parser("lint", help="print diagnostics only")
    docs_arg(lint)
    lint.add_argument("--strict", action="store_true", help="warnings fail too")
    lint.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: one `path:line:col: severity CODE message` per line; json: one document",
    )
    return parser


def _docs(args: argparse.Namespace, cfg: config.Config) -> list[Path]:
    docs: list[Path] = list(args.docs) or list(cfg.docs)
    if not docs:
        raise UsageError("no DOCS given and no [tool.docgen] docs in pyproject.toml")
    return docs


def _print_diagnostics(model: Model, verbose: bool) -> None:
    shown = [d for d in model.diagnostics if verbose or d.severity == "error"]
    for d in shown:
        print(d.render(), file=sys.stderr)
    warnings = sum(d.severity == "warning" for d in model.diagnostics)
    errors = sum(d.severity == "error" for d in model.diagnostics)
    if warnings and not verbose:
        print(f"{warnings} warning(s) (see them with --verbose or `docgen lint`)", file=sys.stderr)
    if errors:
        print(f"{errors} error(s): nothing written", file=sys.stderr)


def _generate(
    args: argparse.Namespace, cfg: config.Config
) -> tuple[Model, dict[str, str], Path, str]:
    model = load_model(_docs(args, cfg))
    output = args.output or cfg.output or DEFAULT_OUTPUT
    package = args.package or cfg.package or DEFAULT_PACKAGE
    if not package.isidentifier():
        raise UsageError(f"--package {package!r} is not a valid Python package name")
    if model.has_errors:
        return model, {}, output, package
    templates = args.templates or cfg.templates
    files = format_sources(render(model, package, templates))
    return model, files, output, package


def cmd_build(args: argparse.Namespace, cfg: config.Config) -> int:
    model, files, output, package = _generate(args, cfg)
    _print_diagnostics(model, args.verbose)
    if model.has_errors:
        return 1
    result = write_tree(files, output, package)
    print(
        f"docgen: {len(model.types)} types -> {output / package}: "
        f"{result.written} written, {result.unchanged} unchanged, {result.removed} removed",
        file=sys.stderr,
    )
    return 0


def cmd_check(args: argparse.Namespace, cfg: config.Config) -> int:
    model, files, output, package = _generate(args, cfg)
    _print_diagnostics(model, args.verbose)
    if model.has_errors:
        return 1
    drift = compare_tree(files, output, package)
    if drift.clean:
        print(f"docgen: {output / package} is up to date ({len(files)} files)", file=sys.stderr)
        return 0
    for label, paths in (
        ("changed", drift.changed),
        ("missing", drift.missing),
        ("extra", drift.extra),
    ):
        for path in paths:
            print(f"{label}: {output / path}")
    if drift.diff:
        print(drift.diff, end="" if drift.diff.endswith("\n") else "\n")
    print("docgen: generated code is out of date; run `docgen build`", file=sys.stderr)
    return 1


def cmd_parse(args: argparse.Namespace, cfg: config.Config) -> int:
    model = load_model(_docs(args, cfg))
    sys.stdout.write(to_json(model))
    return 1 if model.has_errors else 0


def cmd_lint(args: argparse.Namespace, cfg: config.Config) -> int:
    model = load_model(_docs(args, cfg))
    errors = sum(d.severity == "error" for d in model.diagnostics)
    warnings = len(model.diagnostics) - errors
    failed = bool(errors or (args.strict and warnings))
    if args.format == "json":
        sys.stdout.write(lint_json(model, failed))
    else:
        for d in model.diagnostics:
            print(d.render())
    print(f"docgen: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return 1 if failed else 0


def lint_json(model: Model, failed: bool) -> str:
    """`lint --format json`: the diagnostics as `parse --json` spells them, plus counts."""
    counts: dict[str, int] = {}
    for d in model.diagnostics:
        counts[d.code] = counts.get(d.code, 0) + 1
    doc = {
        "version": 1,
        "failed": failed,
        "errors": sum(d.severity == "error" for d in model.diagnostics),
        "warnings": sum(d.severity == "warning" for d in model.diagnostics),
        "counts": dict(sorted(counts.items())),
        "diagnostics": [dataclasses.asdict(d) for d in model.diagnostics],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


COMMANDS = {"build": cmd_build, "check": cmd_check, "parse": cmd_parse, "lint": cmd_lint}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        cfg = config.load()
        return COMMANDS[args.command](args, cfg)
    except (UsageError, config.ConfigError, DiscoverError) as exc:
        print(f"docgen: error: {exc}", file=sys.stderr)
        return 2
    except jinja2.TemplateSyntaxError as exc:
        print(
            f"docgen: error: template {exc.filename or exc.name}:{exc.lineno}: {exc.message}",
            file=sys.stderr,
        )
        return 1
    except jinja2.TemplateError as exc:
        where = _template_frame(exc)
        print(
            f"docgen: error: template{' ' + where if where else ''}: {_one_line(exc)}",
            file=sys.stderr,
        )
        return 1
    except OSError as exc:
        print(f"docgen: error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except FormatError as exc:
        print(f"docgen: internal error: black rejected generated {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
        template = _template_frame(exc)
        if template:  # a (user) template raised while rendering
            message = f"{type(exc).__name__}: {_one_line(exc)}"
            print(f"docgen: error: template {template}: {message}", file=sys.stderr)
            return 1
        page = CURRENT_PAGE.get()
        where = f" while processing {page}" if page else ""
        message = f"{type(exc).__name__}: {_one_line(exc)}"
        print(f"docgen: internal error{where}: {message}", file=sys.stderr)
        return 1


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def _template_frame(exc: BaseException) -> str | None:
    """`PATH:LINE` of the innermost template frame of a traceback, if any.

    Jinja rewrites tracebacks so that rendering frames carry the template's
    file name and line, which is what a template author needs.
    """
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
