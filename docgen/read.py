"""Read one page into a block model with markdown-it-py tokens.

The page model keeps what extraction needs (headings, tables with their cells'
links, paragraphs, HTML comments, fenced code) and the 1-based line of each,
taken from the tokens' line maps, so every later diagnostic can point at the
source.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from . import lenient


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True)
class Cell:
    text: str  # plain text, whitespace collapsed
    links: tuple[Link, ...] = ()
    raw: str = ""  # the cell's markdown source
    # The inline runs in order, as (kind, text) with kind "text", "code" or
    # "strong": value lists in prose are told apart by their markup.
    segments: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Row:
    line: int
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    line: int
    header: tuple[Cell, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Paragraph:
    line: int
    text: str
    links: tuple[Link, ...] = ()
    raw: str = ""
    # Inside a `>` block quote: notes, warnings and disclaimers, not a summary.
    quoted: bool = False


@dataclass(frozen=True)
class Comment:
    line: int
    body: str


@dataclass(frozen=True)
class Code:
    line: int
    info: str
    content: str


Block = Heading | Table | Paragraph | Comment | Code


@dataclass(frozen=True)
class Page:
    source: str  # path relative to the docs root, POSIX
    blocks: tuple[Block, ...]
    front_matter: tuple[tuple[str, str], ...] = ()
    line_count: int = 0


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def _inline(
    tok: Token, segments: list[tuple[str, str]] | None = None
) -> tuple[str, tuple[Link, ...]]:
    """Plain text and links of an inline token; `<br>` and breaks become spaces."""
    parts: list[str] = []
    links: list[Link] = []
    open_links: list[tuple[str, int]] = []
    strong = 0
    for child in tok.children or ():
        kind = child.type
        if kind in ("text", "code_inline"):
            parts.append(child.content)
            if segments is not None:
                seg = "code" if kind == "code_inline" else ("strong" if strong else "text")
                segments.append((seg, child.content))
        elif kind in ("strong_open", "em_open"):
            strong += 1
        elif kind in ("strong_close", "em_close"):
            strong = max(0, strong - 1)
        elif kind in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif kind == "html_inline":
            if child.content.lower().startswith(("<br", "<li", "</li", "<p", "</p")):
                parts.append(" ")
                if segments is not None:
                    segments.append(("text", " "))
        elif kind == "image":
            parts.append(child.content)
        elif kind == "link_open":
            open_links.append((str(child.attrs.get("href", "")), len(parts)))
        elif kind == "link_close" and open_links:
            href, start = open_links.pop()
            links.append(Link(lenient.clean_cell("".join(parts[start:])), href))
    return lenient.clean_cell("".join(parts)), tuple(links)


def _cell(tok: Token) -> Cell:
    segments: list[tuple[str, str]] = []
    text, links = _inline(tok, segments)
    return Cell(text, links, tok.content, tuple(segments))


def read_text(text: str, source: str) -> Page:
    """Turn page text into blocks; never raises for any text."""
    text = lenient.normalize_source(text)
    meta = lenient.front_matter(text)
    body = lenient.blank_front_matter(text)
    tokens = _parser().parse(body)
    blocks: list[Block] = []
    i = 0
    n = len(tokens)
    quotes = 0
    while i < n:
        tok = tokens[i]
        line = (tok.map[0] + 1) if tok.map else 0
        kind = tok.type
        if kind == "heading_open":
            htext, hlinks = _inline(tokens[i + 1])
            blocks.append(Heading(int(tok.tag[1:]), htext, line, hlinks))
            i += 3
            continue
        if kind == "paragraph_open":
            ptext, plinks = _inline(tokens[i + 1])
            blocks.append(Paragraph(line, ptext, plinks, tokens[i + 1].content, quotes > 0))
            i += 3
            continue
        if kind in ("blockquote_open", "blockquote_close"):
            quotes += 1 if kind == "blockquote_open" else -1
        if kind == "html_block":
            for offset, cbody in lenient.comment_bodies(tok.content):
                blocks.append(Comment(line + offset, cbody))
        elif kind in ("fence", "code_block"):
            blocks.append(Code(line, tok.info.strip(), tok.content))
        elif kind == "table_open":
            i = _table(tokens, i, blocks)
            continue
        i += 1
    return Page(source, tuple(blocks), tuple(sorted(meta.items())), text.count("\n") + 1)


def _table(tokens: list[Token], i: int, blocks: list[Block]) -> int:
    start = tokens[i]
    line = (start.map[0] + 1) if start.map else 0
    header: list[Cell] = []
    rows: list[Row] = []
    current: list[Cell] | None = None
    row_line = line
    in_head = False
    i += 1
    while i < len(tokens) and tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open":
            current = []
            row_line = (tok.map[0] + 1) if tok.map else row_line
        elif tok.type in ("th_open", "td_open"):
            inline = tokens[i + 1] if tokens[i + 1].type == "inline" else None
            if current is not None:
                current.append(_cell(inline) if inline else Cell(""))
        elif tok.type == "tr_close" and current is not None:
            if in_head:
                header = current
            else:
                rows.append(Row(row_line, tuple(current)))
            current = None
        i += 1
    blocks.append(Table(line, tuple(header), tuple(rows)))
    return i + 1
