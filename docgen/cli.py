"""The `docgen` command line: build, check, diff, parse and lint.

Exit codes are a contract: 0 success, 1 errors in the docs (or drift), 2 usage.
Any internal failure is reported as one line naming the page being processed,
never as a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import keyword
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from rich.text import Text

from . import __version__, config, console
from .cache import Cache, CacheUnavailable, open_cache
from .discover import DiscoverError
from .format import FormatError, default_jobs
from .model import Model
from .pipeline import CURRENT_PAGE, Timings, generate, load_model
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
        p.add_argument(
            "-o", "--output", type=Path, metavar="OUT", help="output folder (default: generated)"
        )
        p.add_argument("--package", metavar="NAME", help="package name (default: graph_models)")
        p.add_argument(
            "--templates",
            type=Path,
            metavar="DIR",
            help="folder of templates overriding the built-in ones by file name",
        )
        speed_args(p)

    def speed_args(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--no-cache",
            action="store_true",
            help="neither read nor write the build cache ($DOCGEN_CACHE_DIR, else "
            "a private folder under $XDG_CACHE_HOME/docgen)",
        )
        p.add_argument(
            "-j",
            "--jobs",
            type=_jobs,
            default=None,
            metavar="N",
            help="worker processes for extraction, rendering and formatting (default: all cores)",
        )

    build = sub.add_parser("build", help="parse, resolve, render, format and write the package")
    docs_arg(build)
    out_args(build)

    check = sub.add_parser("check", help="build in memory and compare with the output folder")
    docs_arg(check)
    out_args(check)
    check.add_argument(
        "--diff-lines",
        type=int,
        default=400,
        metavar="N",
        help="show at most N lines of unified diff (default 400; the rest is counted)",
    )

    _diff_parser(sub)

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

    _verbosity_args(parser, default=console.NORMAL)
    for command in sub.choices.values():
        _verbosity_args(command, default=argparse.SUPPRESS)
    return parser


def _verbosity_args(p: argparse.ArgumentParser, default: object) -> None:
    """-q/-v, accepted before or after the command (`docgen -q build`, `docgen build -q`).

    Subcommands default to SUPPRESS so they do not reset what the main parser read.
    """
    p.add_argument(
        "-q",
        "--quiet",
        dest="verbosity",
        action="store_const",
        const=console.QUIET,
        default=default,
        help="print errors only: no progress, warning count or summary",
    )
    p.add_argument(
        "-v",
        "--verbose",
        dest="verbosity",
        action="store_const",
        const=console.VERBOSE,
        default=default,
        help="print every warning and the time of each stage",
    )


def _reporter(args: argparse.Namespace, progress: bool = False) -> console.Reporter:
    """Diagnostics, the summary line and (on a terminal) progress on stderr."""
    return console.Reporter(getattr(args, "verbosity", console.NORMAL), progress=progress)


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


def _generate(
    args: argparse.Namespace, cfg: config.Config, out: console.Reporter
) -> tuple[Model, dict[str, str], Path, str]:
    docs = _docs(args, cfg)
    output = args.output or cfg.output or DEFAULT_OUTPUT
    package = args.package or cfg.package or DEFAULT_PACKAGE
    if not package.isidentifier() or keyword.iskeyword(package):
        raise UsageError(f"--package {package!r} is not a valid Python package name")
    templates = args.templates or cfg.templates
    if templates is not None and not templates.is_dir():
        raise UsageError(f"--templates {templates}: no such folder")
    cache: Cache | None = None
    if not args.no_cache:
        try:
            cache = open_cache(output)
        except CacheUnavailable as exc:  # the build runs without it, as with --no-cache
            out.line(Text(f"docgen: warning: build cache not used: {exc}"))
    timings = Timings()
    model, files = generate(
        docs,
        package,
        templates,
        cache=cache,
        jobs=args.jobs or default_jobs(),
        timings=timings,
        progress=out,
    )
    out.pages = timings.counts.get("pages", 0)
    return model, files, output, package


def _read(out: console.Reporter, model: Model) -> str:
    """The summary's opening: what was read."""
    return f"read {console.plural(out.pages, 'page')}, {console.plural(len(model.types), 'type')}"


def cmd_build(args: argparse.Namespace, cfg: config.Config) -> int:
    with _reporter(args, progress=True) as out:
        model, files, output, package = _generate(args, cfg, out)
        _, warnings = out.diagnostics(model.diagnostics)
        if model.has_errors:
            return 1
        out.stage("writing")
        result = write_tree(files, output, package)
        out.summary(
            f"{_read(out, model)} -> {console.shown(output / package)}: {result.written} written, "
            f"{result.unchanged} unchanged, {result.removed} removed",
            warnings,
        )
    return 0


def cmd_check(args: argparse.Namespace, cfg: config.Config) -> int:
    with _reporter(args, progress=True) as out:
        model, files, output, package = _generate(args, cfg, out)
        _, warnings = out.diagnostics(model.diagnostics)
        if model.has_errors:
            return 1
        out.stage("comparing")
        drift = compare_tree(files, output, package, max_diff_lines=max(args.diff_lines, 0))
        out.close()
        if drift.clean:
            out.summary(
                f"{_read(out, model)}; {console.shown(output / package)} is up to date "
                f"({len(files)} files)",
                warnings,
            )
            return 0
    for label, paths in (
        ("changed", drift.changed),
        ("missing", drift.missing),
        ("extra", drift.extra),
    ):
        for path in paths:
            print(f"{label}: {console.shown(output / path)}")
    if drift.diff:
        print(drift.diff, end="" if drift.diff.endswith("\n") else "\n")
    print("docgen: generated code is out of date; run `docgen build`", file=sys.stderr)
    return 1


def _diff_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    diff = sub.add_parser(
        "diff",
        help="semantic changes between two doc trees",
        description="OLD and NEW are folders, files or git:REPO@REF:PATH (no checkout needed).",
    )
    diff.add_argument("old", metavar="OLD", help="the old doc tree")
    diff.add_argument("new", metavar="NEW", help="the new doc tree")
    diff.add_argument(
        "--format", choices=("text", "markdown", "json"), default="text", help="default: text"
    )
    diff.add_argument(
        "--fail-on",
        choices=("breaking", "any", "never"),
        default="breaking",
        help="exit 1 on breaking changes (default), on any change, or never",
    )


def _load_side(label: str, spec: str) -> Model:
    """One side of a diff; its errors are printed with the side they belong to."""
    model = load_model([Path(spec)])
    errors = [d for d in model.diagnostics if d.severity == "error"]
    for d in errors:
        print(f"{label} {spec}: {d.render()}", file=sys.stderr)
    return model


def cmd_diff(args: argparse.Namespace, cfg: config.Config) -> int:
    from .diff import diff_models
    from .diff import to_json as diff_to_json
    from .diff import to_markdown as diff_to_markdown
    from .diff import to_text as diff_to_text

    old = _load_side("OLD", args.old)
    new = _load_side("NEW", args.new)
    changes = diff_models(old, new)
    render_diff = {"text": diff_to_text, "markdown": diff_to_markdown, "json": diff_to_json}
    sys.stdout.write(render_diff[args.format](changes))
    if old.has_errors or new.has_errors:
        print("docgen: errors in the docs: the diff may be incomplete", file=sys.stderr)
        return 1
    if args.fail_on == "any" and changes:
        return 1
    if args.fail_on == "breaking" and any(c.breaking for c in changes):
        return 1
    return 0


def cmd_parse(args: argparse.Namespace, cfg: config.Config) -> int:
    from .irjson import to_json

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
        stdout = console.make_console(sys.stdout)
        for d in model.diagnostics:
            stdout.print(console.diagnostic_text(d))
    _reporter(args).line(f"docgen: {errors} error(s), {warnings} warning(s)")
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
COMMANDS["diff"] = cmd_diff


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
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
        return _report(exc)
    except KeyboardInterrupt:
        return 130


def _report(exc: Exception) -> int:
    """Print an error as one line; 1. Jinja2 is looked at only if something imported
    it (a build answered from the cache does not): only then can `exc` be its own."""
    jinja2 = sys.modules.get("jinja2")
    if jinja2 is not None and isinstance(exc, jinja2.TemplateSyntaxError):
        print(
            f"docgen: error: template {exc.filename or exc.name}:{exc.lineno}: {exc.message}",
            file=sys.stderr,
        )
        return 1
    if jinja2 is not None and isinstance(exc, jinja2.TemplateError):
        where = _template_frame(exc)
        print(
            f"docgen: error: template{' ' + where if where else ''}: {_one_line(exc)}",
            file=sys.stderr,
        )
        return 1
    if isinstance(exc, OSError):
        print(f"docgen: error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if isinstance(exc, FormatError):
        print(f"docgen: internal error: black rejected generated {exc}", file=sys.stderr)
        return 1
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
