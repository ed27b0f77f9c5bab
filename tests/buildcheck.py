"""Run the whole pipeline on a set of pages and check what it promises.

Shared by the hostile-input and fuzz tests: whatever the pages hold, docgen
either reports an error diagnostic (and writes nothing) or produces a package
whose modules compile, format, import and instantiate, with every file inside
the output folder.
"""

from __future__ import annotations

import importlib
import itertools
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, is_dataclass
from enum import Enum
from pathlib import Path
from types import ModuleType

from docgen.format import format_sources
from docgen.irjson import to_json
from docgen.model import Model
from docgen.pipeline import load_model
from docgen.render import render
from docgen.write import write_tree

_COUNTER = itertools.count()


@dataclass(frozen=True)
class Outcome:
    model: Model
    files: dict[str, str]  # formatted sources, empty when the docs have errors
    package: str
    out: Path | None  # the folder holding the written package

    def codes(self) -> set[str]:
        return {d.code for d in self.model.diagnostics}

    def errors(self) -> set[str]:
        return {d.code for d in self.model.diagnostics if d.severity == "error"}


def write_docs(folder: Path, pages: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in pages.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8", "surrogatepass"))
    return folder


def files_under(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def build_and_import(docs: Path, work: Path) -> Outcome:
    """Load `docs`; when error-free, render, format, write into `work/out` and import."""
    model = load_model([docs])
    json.loads(to_json(model))  # the JSON form is always valid JSON
    for d in model.diagnostics:
        assert d.line >= 1 and d.col >= 1, d
        assert d.severity in ("error", "warning"), d
        assert "\n" not in d.render(), d
    package = f"fz_pkg_{os.getpid()}_{next(_COUNTER)}"
    if model.has_errors:
        return Outcome(model, {}, package, None)
    files = format_sources(render(model, package))
    for path, text in files.items():
        if path.endswith(".py"):
            compile(text, path, "exec")
    out = work / "out"
    out.mkdir(parents=True, exist_ok=True)
    before = files_under(work)
    write_tree(files, out, package)
    after = files_under(work)
    written = after - before
    assert all(p.startswith(f"out/{package}/") for p in written), sorted(written)
    assert {f"out/{p}" for p in files} | {f"out/{package}/.docgen-manifest"} == written
    import_all(out, package, files)
    return Outcome(model, files, package, out)


def import_all(out: Path, package: str, files: dict[str, str]) -> None:
    """Import every module, reach every export through the lazy `__init__`, and use it."""
    sys.path.insert(0, str(out))
    try:
        for path in sorted(files):
            if not path.endswith(".py"):
                continue
            mod = path.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
            module = importlib.import_module(mod)
            for name in getattr(module, "__all__", ()):
                exported = getattr(module, name)
                _exercise(exported)
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]
        importlib.invalidate_caches()


def _exercise(cls: object) -> None:
    if getattr(cls, "__module__", "").endswith(("._runtime", "._odata")):
        return  # the runtime API the root package re-exports (Model, OpenEnum, Page, ...)
    if isinstance(cls, type) and issubclass(cls, Enum):
        for member in cls:
            assert cls(member.value) is member
        assert cls("\u00e9 never documented").value == "\u00e9 never documented"
    elif isinstance(cls, type) and is_dataclass(cls):
        cls()
        assert cls.from_dict({"unknownKey": [1]}).to_dict() == {"unknownKey": [1]}  # type: ignore[attr-defined]
    else:  # pragma: no cover - an export that is neither is a bug
        raise AssertionError(f"unexpected export {cls!r}")


@contextmanager
def imported(outcome: Outcome) -> Iterator[Callable[[str], ModuleType]]:
    """Import modules of a built package by their path below it (`"call_records.x"`)."""
    assert outcome.out is not None, "the build failed"
    sys.path.insert(0, str(outcome.out))
    try:
        yield lambda module: importlib.import_module(
            f"{outcome.package}.{module}" if module else outcome.package
        )
    finally:
        sys.path.remove(str(outcome.out))
        pkg = outcome.package
        for name in [m for m in sys.modules if m == pkg or m.startswith(pkg + ".")]:
            del sys.modules[name]
        importlib.invalidate_caches()
