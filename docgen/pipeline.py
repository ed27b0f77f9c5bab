"""The stages wired together: docs in, model (and source files) out."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path

from .discover import Source, discover
from .extract import extract
from .model import Diagnostic, Model, PageDecls
from .read import read_text
from .resolve import resolve

# The page being read, so an internal error can say where it happened.
CURRENT_PAGE: ContextVar[str | None] = ContextVar("CURRENT_PAGE", default=None)


def read_source(src: Source) -> PageDecls:
    """Read and extract one page; an unreadable page becomes a diagnostic."""
    CURRENT_PAGE.set(src.source)
    try:
        data = src.path.read_bytes()
    except OSError as exc:
        diag = Diagnostic(src.source, 1, 1, "error", "DG001", f"cannot read page: {exc.strerror}")
        return PageDecls(src.source, None, (), (diag,))
    text = data.decode("utf-8", errors="replace")
    diags: tuple[Diagnostic, ...] = ()
    if "\ufffd" in text and b"\xef\xbf\xbd" not in data:
        line = text[: text.index("\ufffd")].count("\n") + 1
        diags = (Diagnostic(src.source, line, 1, "warning", "DG002", "page is not valid UTF-8"),)
    decls = extract(read_text(text, src.source))
    return PageDecls(decls.source, decls.title, decls.types, diags + decls.diagnostics)


def load_model(roots: list[Path], progress: Callable[[int, int], None] | None = None) -> Model:
    """Discover, read, extract and resolve; `progress(done, total)` after each page."""
    sources = discover(roots)
    pages = []
    for done, src in enumerate(sources, 1):
        pages.append(read_source(src))
        if progress is not None:
            progress(done, len(sources))
    CURRENT_PAGE.set(None)
    return resolve(pages)
