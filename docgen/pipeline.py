"""The stages wired together: docs in, model (and source files) out."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path

from .discover import Source, discover
from .extract import extract
from .gitsource import is_git_spec, read_pages
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
    return read_page(src.source, data)


def read_page(source: str, data: bytes) -> PageDecls:
    """Decode and extract one page's bytes (from a file or a git blob)."""
    CURRENT_PAGE.set(source)
    text = data.decode("utf-8", errors="replace")
    diags: tuple[Diagnostic, ...] = ()
    if "\ufffd" in text and b"\xef\xbf\xbd" not in data:
        line = text[: text.index("\ufffd")].count("\n") + 1
        diags = (Diagnostic(source, line, 1, "warning", "DG002", "page is not valid UTF-8"),)
    decls = extract(read_text(text, source))
    return PageDecls(decls.source, decls.title, decls.types, diags + decls.diagnostics)


def load_model(roots: list[Path], progress: Callable[[int, int], None] | None = None) -> Model:
    """Discover, read, extract and resolve; `progress(done, total)` after each page."""
    local = [root for root in roots if not is_git_spec(str(root))]
    sources = discover(local) if local else []
    remote = [item for root in roots if is_git_spec(str(root)) for item in read_pages(str(root))]
    total = len(sources) + len(remote)
    pages = []
    for done, src in enumerate(sources, 1):
        pages.append(read_source(src))
        if progress is not None:
            progress(done, total)
    # git:REPO@REF:PATH sources are read without a checkout.
    for done, (source, data) in enumerate(remote, len(sources) + 1):
        pages.append(read_page(source, data))
        if progress is not None:
            progress(done, total)
    CURRENT_PAGE.set(None)
    return resolve(pages)
