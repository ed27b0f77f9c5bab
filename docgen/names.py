"""Python names for wire names: valid, unique, deterministic.

Pure functions of their inputs (no hashing, no locale), so the same docs give
the same names on any machine.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Callable, Iterable

from .limits import MAX_PART_BYTES

ROOT_NAMESPACE = "microsoft.graph"

# Names a field may not take: keywords, the dataclass `self`, the names the
# generated annotations and runtime use (a class attribute with such a name
# would shadow it when annotations are evaluated), and the model's methods.
RESERVED_FIELDS = frozenset(keyword.kwlist) | {
    "self",
    "cls",
    "str",
    "int",
    "float",
    "bool",
    "bytes",
    "list",
    "dict",
    "set",
    "tuple",
    "object",
    "datetime",
    "date",
    "time",
    "timedelta",
    "decimal",
    "uuid",
    "typing",
    "enum",
    "dataclasses",
    "field",
    "fields",
    "annotations",
    "from_dict",
    "to_dict",
    "from_json",
    "to_json",
    "to_patch",
    "problems",
    "additional_data",
    "model_for",
    "Any",
    "Decimal",
    "UUID",
    "Enum",
    "ClassVar",
    "TYPE_CHECKING",
}
# What the root package exports besides the models (its runtime API).
RUNTIME_API = (
    "Model",
    "ODataError",
    "OpenEnum",
    "OpenFlags",
    "Page",
    "ValidationError",
    "from_dict",
    "model_for",
    "page_from_dict",
)
# Class names that would shadow what generated modules import, or the runtime API.
RESERVED_CLASSES = frozenset(name for name in RUNTIME_API if name[0].isupper()) | frozenset(
    {
        "Any",
        "Enum",
        "Decimal",
        "UUID",
        "ClassVar",
        "Model",
        "OpenEnum",  # enum modules import it from the package's runtime
        "Flag",
        "IntEnum",
        "StrEnum",
        "None",
        "True",
        "False",
        "TYPE_CHECKING",
        "Optional",
        "Union",
        "Callable",
        "Mapping",
        "Iterator",
    }
)
# Module stems that break on some file systems or shadow the package itself
# (a submodule `from_dict` would replace the root package's `from_dict` once imported).
RESERVED_MODULES = frozenset(
    {"con", "prn", "aux", "nul", "clock$", "__init__", "__main__", "_runtime", "runtime", "py"}
    | {name for name in RUNTIME_API if name.islower()}
    | {f"com{i}" for i in range(10)}
    | {f"lpt{i}" for i in range(10)}
) | frozenset(keyword.kwlist)

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def _ascii_words(name: str) -> list[str]:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = _WORD_BOUNDARY.sub("_", text)
    return [w for w in re.split(r"[^A-Za-z0-9]+", text) if w]


def snake(name: str) -> str:
    """`createdDateTime` -> `created_date_time`; never empty, always an identifier."""
    words = _ascii_words(name)
    out = "_".join(w.lower() for w in words) or "x"
    return f"n{out}" if out[0].isdigit() else out


def pascal(name: str) -> str:
    """`driveItem` -> `DriveItem`, keeping inner capitals (`iOSDevice` -> `IOSDevice`)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    words = [w for w in re.split(r"[^A-Za-z0-9]+", text) if w]
    out = "".join(w[0].upper() + w[1:] for w in words) or "Model"
    return f"T{out}" if out[0].isdigit() else out


def upper_snake(name: str) -> str:
    """`notStarted` -> `NOT_STARTED`; never a sunder or dunder name (Enum reserves them)."""
    out = snake(name).upper().strip("_") or "VALUE"
    return f"V_{out}" if out[0].isdigit() else out


def unique(candidates: Iterable[tuple[str, str]], taken: Iterable[str] = ()) -> dict[str, str]:
    """Map keys to names, suffixing `_2`, `_3`... on (case-insensitive) clashes.

    Keys are handled in sorted order, so the result does not depend on input
    order. Linear: each clashing name resumes counting where the last one of
    its spelling stopped, instead of trying `_2`, `_3`... again.
    """
    used = {t.lower() for t in taken}
    next_suffix: dict[str, int] = {}
    out: dict[str, str] = {}
    for key, name in sorted(candidates):
        final = name
        low = name.lower()
        if low in used:
            n = next_suffix.get(low, 2)
            while f"{low}_{n}" in used:
                n += 1
            final = f"{name}_{n}"
            next_suffix[low] = n + 1
        used.add(final.lower())
        out[key] = final
    return out


# Graph's own spelling of wire names: lowerCamelCase (`createdDateTime`, `id`).
_GRAPH_CASE = re.compile(r"[a-z][A-Za-z0-9]*")


def stable_unique(
    wires: Iterable[str], convert: Callable[[str], str], taken: Iterable[str] = ()
) -> dict[str, str]:
    """Python names for wire names, each as far as possible a function of its own wire name.

    Where several wire names convert to one name, the one in Graph's own
    lowerCamelCase spelling keeps it and the others (`foo_bar`, `FooBar`,
    `foo-bar`) take suffixes, each group in wire-name order. Graph's keys are
    lowerCamelCase, so the key that was there first is nearly always that
    one: adding `foo_bar` next to an existing `fooBar` leaves `fooBar` its
    name. The reverse (adding `fooBar` next to an existing `foo_bar`) renames
    `foo_bar`: no rule of the names alone avoids both, and `docgen diff`
    reports it as breaking (`python_name_changed`). Table order never counts.
    """
    cands = []
    for wire in dict.fromkeys(wires):
        rank = 0 if _GRAPH_CASE.fullmatch(wire) else 1
        cands.append((f"{rank}{wire}", convert(wire)))
    return {key[1:]: name for key, name in unique(cands, taken).items()}


def field_name(wire: str) -> str:
    name = snake(wire)
    return f"{name}_" if name in RESERVED_FIELDS else name


def class_name(wire: str) -> str:
    name = pascal(wire)
    return f"{name}_" if name in RESERVED_CLASSES or keyword.iskeyword(name) else name


def module_stem(wire: str) -> str:
    """A file or folder name; cut to a length every file system takes (a long implied
    enum name, `<type><Property>`, may exceed it; `unique` tells cut names apart)."""
    name = snake(wire)[:MAX_PART_BYTES]
    return f"{name}_" if name in RESERVED_MODULES else name


def namespace_path(namespace: str) -> tuple[str, ...]:
    """Subpackage parts for a namespace: `microsoft.graph.callRecords` -> (`call_records`,)."""
    if namespace == ROOT_NAMESPACE:
        return ()
    rest = (
        namespace[len(ROOT_NAMESPACE) + 1 :]
        if namespace.startswith(ROOT_NAMESPACE + ".")
        else namespace
    )
    return tuple(module_stem(part) for part in rest.split(".") if part)


def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order: digit runs compare as numbers (and before any letter or `_`)."""
    return tuple(
        (0, int(chunk)) if chunk.isdigit() else (1, chunk)
        for chunk in re.split(r"(\d+)", text)
        if chunk
    )


def _all_key(name: str) -> tuple[int, tuple[tuple[int, int | str], ...]]:
    if len(name) > 1 and name.upper() == name and name.lower() != name:
        kind = 0  # CONSTANT
    elif name[:1].isupper():
        kind = 1  # Class
    else:
        kind = 2  # variable
    return kind, _natural(name)


def dunder_all_order(exported: Iterable[str]) -> list[str]:
    """Names in the order ruff's RUF022 (isort-style `__all__` sorting) expects.

    Constants first, then classes, then the rest, each in natural order, so a
    generated `__init__` passes ruff's default rules.
    """
    return sorted(exported, key=_all_key)
