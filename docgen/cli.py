"""The `docgen` command line: build, check, parse and lint.

Exit codes are a contract: 0 success, 1 errors in the docs (or drift), 2 usage.
Any internal failure is reported as one line naming the page being processed,
never as a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import jinja2

from . import __version__, config
from .cache import Cache, default_dir
from .discover import DiscoverError
from .format import FormatError, default_jobs
from .irjson import to_json
from .model import Model
from .pipeline import CURRENT_PAGE, generate, load_model
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
        speed_args(p)

    def speed_args(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--no-cache",
            action="store_true",
            help="neither read nor write the build cache ($DOCGEN_CACHE_DIR, else "
            ".docgen-cache/ beside the output folder)",
        )
        p.add_argument(
            "-j",
            "--jobs",
            type=_jobs,
            default=None,
            metavar="N",
            help="worker processes for extraction and formatting (default: all cores)",
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
    return parser


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value!r}")
    return jobs


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
    docs = _docs(args, cfg)
    output = args.output or cfg.output or DEFAULT_OUTPUT
    package = args.package or cfg.package or DEFAULT_PACKAGE
    if not package.isidentifier():
        raise UsageError(f"--package {package!r} is not a valid Python package name")
    templates = args.templates or cfg.templates
    cache = None if args.no_cache else Cache(default_dir(output))
    jobs = args.jobs or default_jobs()
    model, files = generate(docs, package, templates, cache=cache, jobs=jobs)
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
    for d in model.diagnostics:
        print(d.render())
    errors = sum(d.severity == "error" for d in model.diagnostics)
    warnings = len(model.diagnostics) - errors
    print(f"docgen: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return 1 if errors or (args.strict and warnings) else 0


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
        print(f"docgen: error: template: {exc}", file=sys.stderr)
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
        page = CURRENT_PAGE.get()
        where = f" while processing {page}" if page else ""
        print(f"docgen: internal error{where}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
