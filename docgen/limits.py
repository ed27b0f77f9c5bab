"""Documented limits on what one page may ask for, so no input costs more than linear time
or produces a tree the file system or Python cannot hold.

Each limit is far above anything in the Graph docs (deepest namespace 3 parts,
longest type name 55 characters, most properties 201, most enum members 826)
and each has a warning that names the page and line.
"""

from __future__ import annotations

# A namespace becomes nested subpackages: beyond this, walking the tree would
# recurse too deep (and paths outgrow PATH_MAX). `microsoft.graph.x` is 3 parts.
MAX_NAMESPACE_PARTS = 16
# One part of a qualified name becomes a file or folder name (255 bytes at most
# on common file systems, with room for `.py` and a `_2` suffix).
MAX_PART_BYTES = 200
# A whole qualified name becomes a path below the output folder (PATH_MAX 4096).
MAX_QUALIFIED_BYTES = 1000
# Properties one type may have, members one enum may have: past them, the
# rest are dropped (warned) instead of formatting a module of many megabytes.
MAX_PROPERTIES = 2_000
MAX_MEMBERS = 5_000
# Base types above a type (each generated module imports its base's module,
# and Python nests one import per level; the Graph docs go 4 deep). A base
# inferred afterwards for a root type (`entity`) may add one.
MAX_INHERITANCE_DEPTH = 32
# Folders below a DOCS folder (the Graph docs nest 4 deep).
MAX_FOLDER_DEPTH = 64


def qualified_problem(qualified: str) -> str | None:
    """Why a (dotted) namespace or qualified type name cannot become a path, or None."""
    parts = qualified.split(".")
    if len(parts) > MAX_NAMESPACE_PARTS:
        return f"has {len(parts)} parts (limit {MAX_NAMESPACE_PARTS})"
    longest = max(len(part.encode("utf-8", "surrogatepass")) for part in parts)
    if longest > MAX_PART_BYTES:
        return f"has a part of {longest} bytes (limit {MAX_PART_BYTES})"
    size = len(qualified.encode("utf-8", "surrogatepass"))
    if size > MAX_QUALIFIED_BYTES:
        return f"is {size} bytes long (limit {MAX_QUALIFIED_BYTES})"
    return None


def shown(name: str, limit: int = 60) -> str:
    """A name short enough for a diagnostic (its length is in the message anyway)."""
    return name if len(name) <= limit else f"{name[: limit - 3]}..."
