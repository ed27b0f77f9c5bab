"""The stages wired together: docs in, model (and source files) out.

`generate` is the whole build short of writing: read -> extract -> resolve ->
render -> format. With a cache, a page whose bytes (and docgen's code) are
unchanged is not extracted again, a module whose rendered text is unchanged is
not formatted again, and a build whose every input is unchanged is answered
from one cache entry. Extraction and formatting misses run on a process pool.
Neither the cache nor the pool can change the result: see docgen/cache.py.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from . import format as formatting
from .cache import Cache, code_fingerprint, digest, from_data, to_data
from .discover import Source, discover
from .format import cache_salt
from .gitsource import is_git_spec, read_pages
from .model import DEFAULT_ROOT_ENTITY, Diagnostic, Model, PageDecls

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

    from .render import ModuleJob, Renderer

# markdown-it-py, extraction, resolution, Jinja2 and the process pool are imported
# where they are used: a build answered from the cache needs none of them.

# The page being read, so an internal error can say where it happened.
CURRENT_PAGE: ContextVar[str | None] = ContextVar("CURRENT_PAGE", default=None)

STAGES = ("read", "extract", "resolve", "render", "format")
# Fewer pages to extract than this are done in-process (a pool costs ~tens of ms).
MIN_PARALLEL_PAGES = 16
# Work is handed to the pool in about this many chunks per worker, largest items first.
CHUNKS_PER_WORKER = 24
# Whole-build entries (a few MB each for the Graph corpus) kept in the cache;
# per-page and per-module entries are small and not pruned.
KEEP_BUILDS = 8


class Progress(Protocol):
    """What the command line's progress bar needs to hear (console.Reporter)."""

    def stage(self, name: str, total: int | None = None) -> None: ...

    def advance(self, done: int = 1) -> None: ...


class _NoProgress:
    def stage(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, done: int = 1) -> None:
        pass


@dataclass
class Timings:
    """Seconds spent per stage and what the cache did (bench/stages.py prints them)."""

    stages: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start


class Workers:
    """A process pool made on first use, so a build with nothing to do starts none."""

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self._executor: Executor | None = None

    def executor(self) -> Executor | None:
        """The pool, or None: one job, or no pool possible here (then all runs in-process)."""
        if self.jobs <= 1:
            return None
        if self._executor is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # fork is cheapest and the workers inherit imported modules; elsewhere
            # the platform's default start method is the safe one.
            method = "fork" if sys.platform.startswith("linux") else None
            try:
                self._executor = ProcessPoolExecutor(
                    self.jobs,
                    mp_context=multiprocessing.get_context(method),
                    initializer=_exit_with_parent,
                    initargs=(os.getpid(),),
                )
            except (OSError, NotImplementedError, ValueError):  # e.g. no /dev/shm
                self.jobs = 1
                return None
        return self._executor

    def running(self) -> Executor | None:
        """The pool if it has been made (by extraction), else None; makes none."""
        return self._executor

    def close(self, cancel: bool = False) -> None:
        """Wait for the workers; with `cancel`, drop work not yet started (a build failed)."""
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=cancel)
            self._executor = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        self.close(cancel=exc_type is not None)


# How often a worker without PR_SET_PDEATHSIG checks that its parent still lives.
PARENT_POLL_SECONDS = 0.5


def _exit_with_parent(parent: int) -> None:
    """Worker initializer: end this worker when the process that made it dies.

    A worker waits for work on a pipe whose writing end the other workers hold
    too, so a parent killed outright (SIGKILL, out of memory) would leave it
    blocked forever. On Linux the kernel sends it SIGKILL when the parent dies
    (prctl PR_SET_PDEATHSIG); elsewhere a thread checks its parent's pid.
    """
    if not _parent_death_signal():
        import threading

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(PARENT_POLL_SECONDS)
            os._exit(1)

        threading.Thread(target=watch, name="docgen-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def _parent_death_signal() -> bool:
    """Ask Linux to SIGKILL this process when its parent dies; False if not possible."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        return bool(libc.prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0) == 0)
    except (OSError, AttributeError):  # no libc or no prctl in it
        return False


def extract_page(data: bytes, source: str) -> PageDecls:
    """Decode and extract one page's bytes (a pure function of its arguments)."""
    from .extract import extract
    from .read import read_text

    CURRENT_PAGE.set(source)
    text = data.decode("utf-8", errors="replace")
    diags: tuple[Diagnostic, ...] = ()
    if "\ufffd" in text and b"\xef\xbf\xbd" not in data:
        line = text[: text.index("\ufffd")].count("\n") + 1
        diags = (Diagnostic(source, line, 1, "warning", "DG002", "page is not valid UTF-8"),)
    with _fewer_collections():
        decls = extract(read_text(text, source))
    return replace(decls, diagnostics=diags + decls.diagnostics)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Collect young garbage every 100,000 allocations instead of 700 while a page is read.

    A page's tokens all stay alive until it is extracted; with the default
    threshold Python's collector keeps rescanning them, and reading a page of
    20,000 table rows took 2.5x as long as one of 10,000 (bench/pathological.py).
    """
    old = gc.get_threshold()
    gc.set_threshold(100_000, old[1], old[2])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _unreadable(source: str, exc: OSError) -> PageDecls:
    diag = Diagnostic(source, 1, 1, "error", "DG001", f"cannot read page: {exc.strerror}")
    return PageDecls(source, None, (), (diag,))


def read_source(src: Source) -> PageDecls:
    """Read and extract one page; an unreadable page becomes a diagnostic."""
    CURRENT_PAGE.set(src.source)
    try:
        data = src.path.read_bytes()
    except OSError as exc:
        return _unreadable(src.source, exc)
    return extract_page(data, src.source)


def _extract_chunk(chunk: Sequence[tuple[bytes, str]]) -> list[PageDecls | None]:
    """Worker side: None for a page that failed, so the parent redoes it in-process
    and reports the failure exactly as a serial build would (naming the page)."""
    out: list[PageDecls | None] = []
    for data, source in chunk:
        try:
            out.append(extract_page(data, source))
        except Exception:  # noqa: BLE001 - re-raised by the parent, see above
            out.append(None)
    return out


@dataclass(frozen=True)
class _Page:
    source: str
    data: bytes | None  # None: unreadable (see `error`)
    error: OSError | None
    digest: str


def _read_pages(roots: list[Path]) -> list[_Page]:
    """Files under local roots, then `git:REPO@REF:PATH` roots read without a checkout."""
    pages: list[_Page] = []
    local = [root for root in roots if not is_git_spec(str(root))]
    for src in discover(local) if local else []:
        try:
            data = src.path.read_bytes()
        except OSError as exc:
            pages.append(_Page(src.source, None, exc, ""))
            continue
        pages.append(_Page(src.source, data, None, digest(src.source, data)))
    for root in roots:
        if is_git_spec(str(root)):
            for source, data in read_pages(str(root)):
                pages.append(_Page(source, data, None, digest(source, data)))
    return pages


def _extract_pages(
    pages: list[_Page], cache: Cache | None, workers: Workers, progress: Progress
) -> list[PageDecls]:
    fingerprint = code_fingerprint() if cache is not None else ""
    out: list[PageDecls | None] = [None] * len(pages)
    todo: list[int] = []
    for i, page in enumerate(pages):
        if page.data is None:
            assert page.error is not None
            out[i] = _unreadable(page.source, page.error)
        elif cache is not None and (
            hit := cache.get_as("page", digest(fingerprint, page.digest), PageDecls)
        ):
            out[i] = hit
        else:
            todo.append(i)
    progress.advance(len(pages) - len(todo))

    if todo:
        from . import extract  # noqa: F401 - imported once here, before workers fork

    executor = workers.executor() if len(todo) >= MIN_PARALLEL_PAGES else None
    if executor is not None:
        from concurrent.futures.process import BrokenProcessPool

        # Largest pages first, in small chunks: no worker is left with a long tail.
        order = sorted(todo, key=lambda i: -len(pages[i].data or b""))
        size = max(1, len(order) // (workers.jobs * CHUNKS_PER_WORKER))
        chunks = [order[k : k + size] for k in range(0, len(order), size)]
        items = [[(pages[i].data or b"", pages[i].source) for i in chunk] for chunk in chunks]
        try:
            for chunk, chunk_result in zip(
                chunks, executor.map(_extract_chunk, items), strict=True
            ):
                for i, result in zip(chunk, chunk_result, strict=True):
                    out[i] = result
                progress.advance(sum(r is not None for r in chunk_result))
        except BrokenProcessPool:  # a worker died (killed, out of memory): go on in-process
            pass
    for i in todo:
        page = pages[i]
        if out[i] is None:  # serial build, or a page that failed in a worker
            out[i] = extract_page(page.data or b"", page.source)
            progress.advance()
        if cache is not None:
            cache.put_data("page", digest(fingerprint, page.digest), to_data(out[i]))
    CURRENT_PAGE.set(None)
    return [p for p in out if p is not None]


def load_model(
    roots: list[Path],
    *,
    root_entity: str | None = None,
    cache: Cache | None = None,
    jobs: int = 1,
    timings: Timings | None = None,
    progress: Progress | None = None,
) -> Model:
    """Discover, read, extract and resolve."""
    timings = timings or Timings()
    with Workers(jobs) as workers:
        with timings.stage("read"):
            pages = _read_pages(roots)
        progress = progress or _NoProgress()
        progress.stage("reading pages", len(pages))
        return _load(pages, cache, workers, timings, progress, root_entity=root_entity)


def _load(
    pages: list[_Page],
    cache: Cache | None,
    workers: Workers,
    timings: Timings,
    progress: Progress,
    before_resolve: Callable[[], None] | None = None,
    root_entity: str | None = None,
) -> Model:
    timings.counts["pages"] = len(pages)
    with timings.stage("extract"):
        decls = _extract_pages(pages, cache, workers, progress)
    if before_resolve is not None:
        before_resolve()
    from .resolve import resolve

    progress.stage("resolving")
    with timings.stage("resolve"):
        return resolve(decls, root_entity or DEFAULT_ROOT_ENTITY)


def _templates_fingerprint(templates: Path | None) -> str:
    """Every file the template loader could read: the user's folder, then the built-ins."""
    from .render import BUILTIN_TEMPLATES

    parts: list[str | bytes] = []
    for label, folder in (("user", templates), ("builtin", BUILTIN_TEMPLATES)):
        if folder is None:
            continue
        parts.append(f"{label}:{folder}")
        if not folder.is_dir():
            parts.append("<missing>")
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            parts.append(path.relative_to(folder).as_posix())
            try:
                parts.append(path.read_bytes())
            except OSError:
                parts.append("<unreadable>")
    return digest(*parts)


def generate(
    roots: list[Path],
    package: str,
    templates: Path | None = None,
    *,
    cache: Cache | None = None,
    jobs: int = 1,
    timings: Timings | None = None,
    progress: Progress | None = None,
    root_entity: str | None = None,
) -> tuple[Model, dict[str, str]]:
    """The model and the formatted files of the package (none when the docs have errors)."""
    global _RENDERER
    _RENDERER = None  # templates may have changed: workers forked from here on make their own
    timings = timings or Timings()
    progress = progress or _NoProgress()
    with Workers(jobs) as workers:
        with timings.stage("read"):
            pages = _read_pages(roots)
            progress.stage("reading pages", len(pages))
            build_key = None
            templates_key = ""
            if cache is not None and all(p.data is not None for p in pages):
                templates_key = _templates_fingerprint(templates)
                build_key = digest(
                    code_fingerprint(),
                    cache_salt(),
                    package,
                    templates_key,
                    root_entity or DEFAULT_ROOT_ENTITY,
                    *(p.digest for p in pages),
                )
                hit = _cached_build(cache, build_key)
                if hit is not None:
                    timings.counts["build_cache_hit"] = 1
                    timings.counts["pages"] = len(pages)
                    progress.advance(len(pages))
                    cache.touch("build", build_key)
                    return hit
        early: list[Future[tuple[list[str | None], _Stats]]] = []

        def warm_up() -> None:
            """While the parent resolves, the idle workers import black, compile the
            templates and make `_runtime` (the same whatever the model)."""
            executor = workers.running()
            if executor is None:  # a small build: no pool to keep busy
                return
            renderer = _renderer(package, templates, fresh=True)
            task = _Task(renderer.runtime_path(), None, runtime=True)
            early.append(executor.submit(_produce_chunk, package, templates, cache, [task]))
            for _ in range(workers.jobs - 1):
                executor.submit(_warm_up, package, templates)

        model = _load(pages, cache, workers, timings, progress, warm_up, root_entity)
        files: dict[str, str] = {}
        if not model.has_errors:
            if cache is not None and not templates_key:
                templates_key = _templates_fingerprint(templates)
            files = _render_and_format(
                model,
                package,
                templates,
                templates_key,
                cache,
                workers,
                timings,
                progress,
                early[0] if early else None,
            )
    if cache is not None:
        if build_key is not None:
            cache.put_data("build", build_key, (to_data(model), files))
            cache.prune("build", KEEP_BUILDS)
        timings.counts["cache_hits"] = cache.hits
        timings.counts["cache_misses"] = cache.misses
    return model, files


def _cached_build(cache: Cache, key: str) -> tuple[Model, dict[str, str]] | None:
    """A whole build's model and files from the cache, or None."""
    entry = cache.get_data("build", key)
    if entry is None:
        return None
    if isinstance(entry, tuple) and len(entry) == 2 and _is_files(entry[1]):
        try:
            return from_data(Model, entry[0]), entry[1]
        except (TypeError, ValueError):
            pass
    cache.demote()  # authentic but unusable (another docgen's shape): a miss
    return None


def _is_files(value: object) -> bool:
    return isinstance(value, dict) and all(
        type(k) is str and type(v) is str for k, v in value.items()
    )


# --- render and format ------------------------------------------------------
#
# Each type's module is rendered and formatted in one go, in a worker when there
# are many: rendering is then off the main process's critical path, and its
# output goes straight to black. With a cache, a module whose inputs are all
# unchanged is neither rendered nor formatted: its formatted text is stored
# under a digest of everything its template sees (`_module_key`).

MODULE_KIND = "module"
# The packages' __init__ modules, _runtime, _registry and py.typed, formatted: they
# depend only on every type's qualified name, module and class (and the options).
PACKAGE_KIND = "package"
# Fewer modules to produce than this are done in-process: starting workers (each
# imports black and compiles the templates) costs more than a small build saves.
MIN_PARALLEL_MODULES = 64


@dataclass(frozen=True)
class _Task:
    """One file to produce: a type module to render, or a rendered text, then format."""

    path: str
    job: ModuleJob | None
    text: str = ""
    runtime: bool = False  # render `_runtime` (job is None, text unused)

    def cost(self) -> int:
        """A rough size of the output, to hand out the largest first."""
        if self.runtime:
            return 1 << 30
        if self.job is None:
            return len(self.text)
        t = self.job.type
        return (
            len(t.description)
            + sum(100 + len(p.description) for p in t.properties)
            + sum(40 + len(m.description) for m in t.members)
        )


@dataclass
class _Stats:
    """What producing some files did (summed over workers into Timings)."""

    render: float = 0.0
    format: float = 0.0
    hits: int = 0
    misses: int = 0

    def add(self, other: _Stats) -> None:
        self.render += other.render
        self.format += other.format
        self.hits += other.hits
        self.misses += other.misses


# The renderer of the build in progress. The parent sets a fresh one per build
# (templates may have changed since the last), and workers forked afterwards
# inherit it; a worker forked earlier (for extraction) makes its own once.
_RENDERER: tuple[str, Path | None, Renderer] | None = None


def _renderer(package: str, templates: Path | None, fresh: bool = False) -> Renderer:
    global _RENDERER
    if fresh or _RENDERER is None or _RENDERER[:2] != (package, templates):
        from .render import Renderer

        _RENDERER = (package, templates, Renderer(package, templates))
    return _RENDERER[2]


def _module_key(base: str, job: ModuleJob) -> str:
    """Everything a type module's text depends on beyond `base` (docgen's code, black's
    version and mode, the templates, the package name): the type itself, and the
    name, module and class of each type it names (all its template sees of them)."""
    return digest(
        base,
        job.path,
        repr(job.type),
        *(f"{r.qualified}\0{r.py_module}\0{r.py_class}" for r in job.refs),
        *(f"missing:{name}" for name in job.missing),
    )


def _produce(
    task: _Task, package: str, templates: Path | None, cache: Cache | None, stats: _Stats
) -> str:
    """Render (if a type module) and format one file; errors propagate."""
    start = time.perf_counter()
    if task.runtime:
        text = _renderer(package, templates).runtime()
    elif task.job is not None:
        text = _renderer(package, templates).module(task.job)
    else:
        text = task.text
    stats.render += time.perf_counter() - start
    if not task.path.endswith(".py"):
        return text
    start = time.perf_counter()
    try:
        formatted, hit = formatting.format_text(task.path, text, cache)
    except formatting.FormatError as exc:  # name the template that rendered it
        exc.template = _template_name(task)
        raise
    stats.format += time.perf_counter() - start
    if cache is not None:
        stats.hits += hit
        stats.misses += not hit
    return formatted


def _template_name(task: _Task) -> str:
    """The file name of the template that rendered `task` (for error messages)."""
    from . import render

    if task.runtime:
        return render.RUNTIME_TEMPLATE
    if task.job is not None:
        return render.ENUM_TEMPLATE if task.job.type.kind == "enum" else render.MODEL_TEMPLATE
    if task.path.endswith(f"/{render.REGISTRY_MODULE}.py"):
        return render.REGISTRY_TEMPLATE
    return render.INIT_TEMPLATE


def _warm_up(package: str, templates: Path | None) -> None:
    """Worker side: import black and compile the module templates ahead of use."""
    try:
        import black  # noqa: F401

        from .render import ENUM_TEMPLATE, MODEL_TEMPLATE

        renderer = _renderer(package, templates)
        renderer.edm()
        renderer.env.get_template(MODEL_TEMPLATE)
        renderer.env.get_template(ENUM_TEMPLATE)
    except Exception:  # noqa: BLE001 - only a head start: the real work reports errors
        pass


def _produce_chunk(
    package: str, templates: Path | None, cache: Cache | None, tasks: list[_Task]
) -> tuple[list[str | None], _Stats]:
    """Worker side: None for a file that failed, so the parent produces it again
    in-process and reports the failure exactly as a serial build would."""
    stats = _Stats()
    out: list[str | None] = []
    for task in tasks:
        try:
            out.append(_produce(task, package, templates, cache, stats))
        except Exception:  # noqa: BLE001 - re-raised by the parent, see above
            out.append(None)
    return out, stats


def _run_tasks(
    tasks: list[_Task],
    package: str,
    templates: Path | None,
    cache: Cache | None,
    workers: Workers,
    progress: Progress,
    later: Callable[[], list[_Task]] = list,
) -> tuple[list[_Task], list[str], _Stats]:
    """Produce `tasks`, then those `later()` gives (called once the workers have
    work, so the main process makes them meanwhile); returns all tasks and texts."""
    stats = _Stats()
    results: dict[int, str | None] = {}
    executor = workers.executor() if len(tasks) >= MIN_PARALLEL_MODULES else None
    extra: list[_Task] | None = None
    if executor is not None:
        from concurrent.futures.process import BrokenProcessPool

        # Largest first, in chunks small enough to keep every worker busy to the end.
        order = sorted(range(len(tasks)), key=lambda i: -tasks[i].cost())
        size = max(1, len(order) // (workers.jobs * CHUNKS_PER_WORKER))
        chunks = [order[k : k + size] for k in range(0, len(order), size)]
        work = partial(_produce_chunk, package, templates, cache)
        head, rest = chunks[: workers.jobs], chunks[workers.jobs :]
        try:
            futures = [(c, executor.submit(work, [tasks[i] for i in c])) for c in head]
            extra = later()  # the package files are large: they go out next, one each
            chunks = [[len(tasks) + k] for k in range(len(extra))] + rest
            tasks = tasks + extra
            futures += [(c, executor.submit(work, [tasks[i] for i in c])) for c in chunks]
            for chunk, future in futures:
                texts, chunk_stats = future.result()
                results.update(zip(chunk, texts, strict=True))
                progress.advance(sum(text is not None for text in texts))
                stats.add(chunk_stats)
        except BrokenProcessPool:  # a worker died (killed, out of memory): go on in-process
            pass
    if extra is None:
        tasks = tasks + later()
    out: list[str] = []
    for i, task in enumerate(tasks):
        text = results.get(i)
        if text is None:  # serial build, or a file that failed in a worker
            text = _produce(task, package, templates, cache, stats)
            progress.advance()
        out.append(text)
    return tasks, out, stats


def _render_and_format(
    model: Model,
    package: str,
    templates: Path | None,
    templates_key: str,
    cache: Cache | None,
    workers: Workers,
    timings: Timings,
    progress: Progress,
    early_runtime: Future[tuple[list[str | None], _Stats]] | None = None,
) -> dict[str, str]:
    """The package's files, formatted: what format_sources(render(...)) gives.

    `early_runtime` is `_runtime` being made in a worker (see `warm_up`)."""
    from .render import plan

    progress.stage("rendering")
    with timings.stage("render"):
        # Made fresh for this build (by warm_up, or here); workers forked later inherit it.
        renderer = _renderer(package, templates, fresh=early_runtime is None)
        jobs, packages = plan(model, package)
        done: dict[str, str] = {}
        keys: dict[str, str] = {}
        package_key = ""
        package_files: dict[str, str] | None = None
        if cache is not None:
            base = digest(code_fingerprint(), cache_salt(), templates_key, package)
            for job in jobs:
                keys[job.path] = key = _module_key(base, job)
                hit = cache.get_text(MODULE_KIND, key)
                if hit is not None:
                    done[job.path] = hit
            package_key = digest(
                base, *(f"{t.qualified}\0{t.py_module}\0{t.py_class}" for t in model.types)
            )
            entry = cache.get_data(PACKAGE_KIND, package_key)
            if _is_files(entry):
                package_files = entry
        timings.counts["modules_cached"] = len(done)
        tasks = [_Task(job.path, job) for job in jobs if job.path not in done]
        runtime_task = _Task(renderer.runtime_path(), None, runtime=True)
        if package_files is not None:
            done.update(package_files)
            early_runtime = None  # not needed after all

    def package_tasks() -> list[_Task]:
        """The package files, rendered here (while the workers start on the modules)."""
        if package_files is not None:
            return []
        rendered = renderer.package_files(model, packages, with_runtime=early_runtime is None)
        return [_Task(path, None, text) for path, text in rendered.items()]

    # Modules, the packages' __init__s, _runtime, _registry and py.typed.
    progress.stage("formatting", len(jobs) + len(packages) + 3)
    progress.advance(len(done))
    with timings.stage("format"):
        tasks, texts, stats = _run_tasks(
            tasks, package, templates, cache, workers, progress, package_tasks
        )
    if early_runtime is not None:
        # Made in a worker during resolution; if it failed there, again here (raising).
        try:
            early_texts, early_stats = early_runtime.result()
        except Exception:  # noqa: BLE001 - e.g. a broken pool: made again just below
            early_texts, early_stats = [None], _Stats()
        stats.add(early_stats)
        text = early_texts[0]
        if text is None:
            text = _produce(runtime_task, package, templates, cache, stats)
        progress.advance()
        tasks.append(runtime_task)
        texts.append(text)
    for task, text in zip(tasks, texts, strict=True):
        done[task.path] = text
        if cache is not None and task.job is not None:
            cache.put_text(MODULE_KIND, keys[task.path], text)
    if cache is not None and package_files is None:
        package_files = {task.path: done[task.path] for task in tasks if task.job is None}
        cache.put_data(PACKAGE_KIND, package_key, package_files)
    if cache is not None:
        cache.hits += stats.hits
        cache.misses += stats.misses
    timings.counts["render_cpu_ms"] = round(stats.render * 1000)
    timings.counts["format_cpu_ms"] = round(stats.format * 1000)
    return dict(sorted(done.items()))
