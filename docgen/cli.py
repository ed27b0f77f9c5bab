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
import os
import shlex
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from rich.text import Text

from . import __version__, config, console
from .cache import Cache, CacheUnavailable, open_cache
from .discover import DiscoverError
from .format import FormatError, default_jobs
from .gitsource import is_git_spec, parse_spec
from .model import Diagnostic, Model
from .pipeline import CURRENT_PAGE, Timings, generate, load_model
from .write import OutputError, compare_tree, write_tree

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
    build.add_argument(
        "--force",
        action="store_true",
        help="build into a package folder docgen did not make, overwriting files it did "
        "not write where it writes its own, or empty it when the docs hold no types",
    )

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


class Pages:
    """How pages are named to the user: as the path given (relative to the working
    directory, or absolute if given so), not relative to their docs folder as the
    model (and its fixed JSON) names them."""

    def __init__(self, roots: Sequence[tuple[Path, str]]) -> None:
        self.roots = list(roots)  # (where to look, how the user gave it)
        self._seen: dict[str, str] = {}

    def __call__(self, source: str) -> str:
        if source not in self._seen:
            self._seen[source] = self._find(source)
        return self._seen[source]

    def _find(self, source: str) -> str:
        if os.path.isabs(source) or any(source == label for _, label in self.roots):
            return source  # already a path as given (DG003 names the DOCS folder)
        git: list[str] = []
        for root, label in self.roots:
            if is_git_spec(str(root)):
                git.append(label)
            elif root.is_dir():
                if os.path.lexists(root / source):
                    return label.rstrip("/") + "/" + source if label else source
            elif root.name == source:
                return label
        for label in git:  # the first git source (a page's tree is not looked up)
            try:
                path = parse_spec(label).path
            except DiscoverError:
                continue
            if path.endswith(".md") and PurePosixPath(path).name == source:
                return label
            return f"{label}/{source}" if path else f"{label}{source}"
        return source


@dataclass
class Options:
    """What a command works on, with where each value came from (for messages)."""

    docs: list[Path]
    pages: Pages
    output: Path = DEFAULT_OUTPUT
    package: str = DEFAULT_PACKAGE
    templates: Path | None = None
    root_entity: str | None = None  # [tool.docgen] root-entity (docgen/infer.py)
    origin: dict[str, str] = field(default_factory=dict)  # key -> `pyproject.toml:N: ...`

    def about(self, key: str, fallback: str) -> str:
        """How a message names a setting: its pyproject line, or the option given."""
        return self.origin.get(key, fallback)


def _options(args: argparse.Namespace, cfg: config.Config) -> Options:
    origin: dict[str, str] = {}
    if args.docs:
        docs = list(args.docs)
        labels = [str(d) for d in docs]
    else:
        docs = list(cfg.docs)
        labels = [console.shown(d) for d in docs]
        origin["docs"] = cfg.origin("docs")
        for root in docs:
            if not is_git_spec(str(root)) and not root.exists():
                raise UsageError(f"{origin['docs']}: {console.shown(root)}: no such file or folder")
    if not docs:
        raise UsageError("no DOCS given and no [tool.docgen] docs in pyproject.toml")
    opts = Options(
        docs,
        Pages(list(zip(docs, labels, strict=True))),
        root_entity=cfg.root_entity,
        origin=origin,
    )
    if not hasattr(args, "output"):
        return opts
    if args.output is not None:
        opts.output = args.output
    elif cfg.output is not None:
        opts.output = Path(console.shown(cfg.output))
        origin["output"] = cfg.origin("output")
    opts.package = args.package or cfg.package or DEFAULT_PACKAGE
    if not args.package and cfg.package:
        origin["package"] = cfg.origin("package")
    if not opts.package.isidentifier() or keyword.iskeyword(opts.package):
        where = opts.about("package", f"--package {opts.package!r}")
        raise UsageError(f"{where}: not a valid Python package name")
    if args.templates is not None:
        opts.templates = args.templates
    elif cfg.templates is not None:
        opts.templates = Path(console.shown(cfg.templates))
        origin["templates"] = cfg.origin("templates")
    if opts.templates is not None and not opts.templates.is_dir():
        what = "is not a folder" if opts.templates.exists() else "no such folder"
        raise UsageError(f"{opts.about('templates', f'--templates {opts.templates}')}: {what}")
    return opts


def _command(args: argparse.Namespace, command: str, *extra: str) -> str:
    """The docgen command to run next, repeating the options the user gave."""
    words = ["docgen", command, *(str(d) for d in args.docs)]
    if getattr(args, "output", None) is not None:
        words += ["-o", str(args.output)]
    if getattr(args, "package", None):
        words += ["--package", args.package]
    if getattr(args, "templates", None) is not None:
        words += ["--templates", str(args.templates)]
    return shlex.join([*words, *extra])


def _generate(
    args: argparse.Namespace, opts: Options, out: console.Reporter
) -> tuple[Model, dict[str, str]]:
    out.where = opts.pages
    _set_page_names(opts.pages)
    _RUNNING.templates = opts.templates
    cache: Cache | None = None
    if not args.no_cache:
        try:
            cache = open_cache(opts.output)
        except CacheUnavailable as exc:  # the build runs without it, as with --no-cache
            out.line(Text(f"docgen: warning: build cache not used: {console.escape(str(exc))}"))
    timings = Timings()
    model, files = generate(
        opts.docs,
        opts.package,
        opts.templates,
        cache=cache,
        jobs=args.jobs or default_jobs(),
        timings=timings,
        progress=out,
        root_entity=opts.root_entity,
    )
    out.pages = timings.counts.get("pages", 0)
    return model, files


@dataclass
class _Running:
    """What an error message needs to know about the command running: how pages
    are named, and the templates folder in use."""

    pages: Callable[[str], str] | None = None
    templates: Path | None = None


_RUNNING = _Running()


def _set_page_names(pages: Callable[[str], str]) -> None:
    _RUNNING.pages = pages


def _no_types(opts: Options, pages: int) -> Diagnostic:
    """DG003: the docs read hold no resource types (an empty or mistyped DOCS)."""
    where = opts.pages.roots[0][1] if opts.pages.roots else "."
    return Diagnostic(
        where,
        1,
        1,
        "warning",
        "DG003",
        f"no resource types found in {console.plural(pages, 'page')} read",
    )


def _read(out: console.Reporter, model: Model) -> str:
    """The summary's opening: what was read."""
    return f"read {console.plural(out.pages, 'page')}, {console.plural(len(model.types), 'type')}"


def _output_error(exc: OutputError, opts: Options, args: argparse.Namespace) -> str:
    """An OutputError as one line: the pyproject key if the folder came from there,
    and the command that would do it anyway."""
    text = str(exc)
    if "output" in opts.origin:
        text = f"{opts.origin['output']}: {text}"
    if exc.hint:
        text += f"; {exc.hint}: `{_command(args, 'build', '--force')}`"
    return text


def cmd_build(args: argparse.Namespace, cfg: config.Config) -> int:
    opts = _options(args, cfg)
    with _reporter(args, progress=True) as out:
        model, files = _generate(args, opts, out)
        diagnostics = list(model.diagnostics)
        if not model.types and not model.has_errors:
            diagnostics.append(_no_types(opts, out.pages))
        _, warnings = out.diagnostics(diagnostics)
        if model.has_errors:
            return 1
        target = opts.output / opts.package
        if not model.types and not args.force and _has_entries(target):
            out.close()
            out.error(
                f"no types in the docs read ({console.plural(out.pages, 'page')}): "
                f"building would empty {target}; nothing written; if that is what you "
                f"want: `{_command(args, 'build', '--force')}`"
            )
            return 1
        out.stage("writing")
        try:
            result = write_tree(files, opts.output, opts.package, force=args.force)
        except OutputError as exc:
            out.close()
            out.error(_output_error(exc, opts, args))
            return 1
        out.close()
        for path in result.kept:
            note = result.notes.get(path)
            what = f" ({note})" if note else ""
            out.warning(f"kept {opts.output / path}{what}: docgen did not write it")
        kept = f", {len(result.kept)} kept" if result.kept else ""
        out.summary(
            f"{_read(out, model)} -> {target}: {result.written} written, "
            f"{result.unchanged} unchanged, {result.removed} removed{kept}",
            warnings,
        )
    return 0


def _has_entries(folder: Path) -> bool:
    """Whether `folder` is a folder with anything in it (links not followed)."""
    try:
        with os.scandir(folder) as entries:
            return any(True for _ in entries)
    except OSError:
        return os.path.lexists(folder)


def cmd_check(args: argparse.Namespace, cfg: config.Config) -> int:
    opts = _options(args, cfg)
    with _reporter(args, progress=True) as out:
        model, files = _generate(args, opts, out)
        diagnostics = list(model.diagnostics)
        if not model.types and not model.has_errors:
            diagnostics.append(_no_types(opts, out.pages))
        _, warnings = out.diagnostics(diagnostics)
        if model.has_errors:
            return 1
        out.stage("comparing")
        try:
            drift = compare_tree(
                files, opts.output, opts.package, max_diff_lines=max(args.diff_lines, 0)
            )
        except OutputError as exc:
            out.close()
            out.error(_output_error(exc, opts, args))
            return 1
        out.close()
        if drift.clean:
            out.summary(
                f"{_read(out, model)}; {opts.output / opts.package} is up to date "
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
            note = drift.notes.get(path)
            print(console.escape(f"{label}: {opts.output / path}" + (f" ({note})" if note else "")))
    if drift.diff:
        print(drift.diff, end="" if drift.diff.endswith("\n") else "\n")
    if len(drift.foreign) < len(drift.changed) + len(drift.missing) + len(drift.extra):
        _error(f"generated code is out of date; run `{_command(args, 'build')}`", "")
    if drift.foreign:
        n = len(drift.foreign)
        count = f"{n} {'entry' if n == 1 else 'entries'}"
        _error(
            f"{count} in {opts.output / opts.package} not written by docgen (extra above): "
            "`docgen build` keeps them; move them out of the package folder",
            "",
        )
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


def _load_side(label: str, spec: str, root_entity: str | None) -> tuple[Model, Pages]:
    """One side of a diff; its errors are printed with the side they belong to."""
    pages = Pages([(Path(spec), spec)])
    _set_page_names(pages)
    model = load_model([Path(spec)], root_entity=root_entity)
    errors = [d for d in model.diagnostics if d.severity == "error"]
    stderr = console.make_console(sys.stderr)
    for d in errors:
        stderr.print(Text(f"{label}: ").append_text(console.diagnostic_text(d, pages)))
    return model, pages


def cmd_diff(args: argparse.Namespace, cfg: config.Config) -> int:
    from .diff import Sides, diff_models
    from .diff import to_json as diff_to_json
    from .diff import to_markdown as diff_to_markdown
    from .diff import to_text as diff_to_text

    old, old_pages = _load_side("OLD", args.old, cfg.root_entity)
    new, new_pages = _load_side("NEW", args.new, cfg.root_entity)
    changes = diff_models(old, new)
    names = frozenset(t.qualified for t in (*old.types, *new.types))
    sides = Sides(args.old, args.new, names)
    if args.format == "json":  # the fixed JSON keeps pages relative to their tree
        sys.stdout.write(diff_to_json(changes))
    else:
        changes = [_shown_change(c, old_pages, new_pages) for c in changes]
        if args.format == "markdown":
            sys.stdout.write(diff_to_markdown(changes, sides=sides))
        else:
            sys.stdout.write(diff_to_text(changes, sides))
    if old.has_errors or new.has_errors:
        print("docgen: errors in the docs: the diff may be incomplete", file=sys.stderr)
        return 1
    if args.fail_on == "any" and changes:
        return 1
    if args.fail_on == "breaking" and any(c.breaking for c in changes):
        return 1
    return 0


def _shown_change(change: Any, old: Pages, new: Pages) -> Any:
    """`change` with its page named as given on the command line (escaped): the old
    tree's for a removal, else the new tree's."""
    first, second = (old, new) if change.change.endswith("_removed") else (new, old)
    shown = first(change.source)
    if shown == change.source:
        shown = second(change.source)
    return dataclasses.replace(change, source=console.escape(shown))


def cmd_parse(args: argparse.Namespace, cfg: config.Config) -> int:
    from .irjson import to_json

    opts = _options(args, cfg)
    _set_page_names(opts.pages)
    model = load_model(opts.docs, root_entity=opts.root_entity)
    sys.stdout.write(to_json(model))
    return 1 if model.has_errors else 0


def cmd_lint(args: argparse.Namespace, cfg: config.Config) -> int:
    opts = _options(args, cfg)
    _set_page_names(opts.pages)
    timings = Timings()
    model = load_model(opts.docs, timings=timings, root_entity=opts.root_entity)
    diagnostics = list(model.diagnostics)
    if not model.types:
        diagnostics.append(_no_types(opts, timings.counts.get("pages", 0)))
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    failed = bool(errors or (args.strict and warnings))
    if args.format == "json":
        sys.stdout.write(
            lint_json(
                dataclasses.replace(model, diagnostics=tuple(diagnostics)), failed, opts.pages
            )
        )
    else:
        stdout = console.make_console(sys.stdout)
        for d in diagnostics:
            stdout.print(console.diagnostic_text(d, opts.pages))
    _reporter(args).line(f"docgen: {errors} error(s), {warnings} warning(s)")
    return 1 if failed else 0


def lint_json(model: Model, failed: bool, pages: Callable[[str], str] | None = None) -> str:
    """`lint --format json`: the diagnostics as `parse --json` spells them (`path`
    relative to the docs folder), plus counts and, given `pages`, each page's path
    as the user gave it (`file`)."""
    counts: dict[str, int] = {}
    for d in model.diagnostics:
        counts[d.code] = counts.get(d.code, 0) + 1
    diagnostics: list[dict[str, object]] = []
    for d in model.diagnostics:
        entry: dict[str, object] = dataclasses.asdict(d)
        if pages is not None:
            entry["file"] = pages(d.path)
        diagnostics.append(entry)
    doc = {
        "version": 1,
        "failed": failed,
        "errors": sum(d.severity == "error" for d in model.diagnostics),
        "warnings": sum(d.severity == "warning" for d in model.diagnostics),
        "counts": dict(sorted(counts.items())),
        "diagnostics": diagnostics,
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
    global _RUNNING
    _RUNNING = _Running()
    try:
        cfg = config.load()
        return COMMANDS[args.command](args, cfg)
    except (UsageError, config.ConfigError, DiscoverError) as exc:
        _error(str(exc))
        return 2
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
        return _report(exc)
    except KeyboardInterrupt:
        return 130


def _error(message: str, kind: str = "error") -> None:
    """`docgen: error: MESSAGE` (`docgen: MESSAGE` with no kind) on stderr, as one
    line whatever the message holds."""
    prefix = f"docgen: {kind}: " if kind else "docgen: "
    print(prefix + console.escape(message), file=sys.stderr)


def _report(exc: Exception) -> int:
    """Print an error as one line; 1. Jinja2 is looked at only if something imported
    it (a build answered from the cache does not): only then can `exc` be its own."""
    jinja2 = sys.modules.get("jinja2")
    if jinja2 is not None and isinstance(exc, jinja2.TemplateSyntaxError):
        _error(f"template {exc.filename or exc.name}:{exc.lineno}: {_one_line(exc.message)}")
        return 1
    if jinja2 is not None and isinstance(exc, jinja2.TemplateError):
        where = _template_frame(exc)
        _error(f"template{' ' + where if where else ''}: {_one_line(exc)}")
        return 1
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        _error(f"{where}{exc.strerror or exc}")
        return 1
    if isinstance(exc, FormatError):
        _error(f"template {_template_of(exc)} renders invalid Python: {exc.one_line()}")
        return 1
    template = _template_frame(exc)
    if template:  # a (user) template raised while rendering
        _error(f"template {template}: {type(exc).__name__}: {_one_line(exc)}")
        return 1
    page = CURRENT_PAGE.get()
    if page and _RUNNING.pages is not None:
        page = _RUNNING.pages(page)
    where = f" while processing {page}" if page else ""
    _error(f"{type(exc).__name__}: {_one_line(exc)}", f"internal error{where}")
    return 1


def _template_of(exc: FormatError) -> str:
    """The template that rendered the file black rejected: the user's file (with the
    line, when the offending text is on exactly one line of it) or the built-in one."""
    name = exc.template or "?"
    folder = _RUNNING.templates
    if folder is None or not (folder / name).is_file():
        return f"{name} (built-in)"
    path = folder / name
    _, _, text = exc.where()
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return str(path)
    found = [n for n, line in enumerate(lines, 1) if text and line.strip() == text]
    return f"{path}:{found[0]}" if len(found) == 1 else str(path)


def _one_line(exc: BaseException | str) -> str:
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
