"""Defaults from `[tool.docgen]` in the nearest `pyproject.toml`, so commands run bare."""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

_QUALIFIED = re.compile(r"\w+(?:\.\w+)+")
KEYS = ("docs", "output", "package", "templates", "root-entity")


class ConfigError(Exception):
    """A `[tool.docgen]` table docgen cannot use; the message names the file and key."""


@dataclass(frozen=True)
class Config:
    docs: tuple[Path, ...] = ()
    output: Path | None = None
    package: str | None = None
    templates: Path | None = None
    source: Path | None = None  # the pyproject.toml it came from
    values: Mapping[str, object] = field(default_factory=dict, compare=False)  # as written

    def origin(self, key: str) -> str:
        """Where a setting came from, as messages name it:
        `pyproject.toml:12: [tool.docgen] templates = "x"` (the file relative to the
        working directory when inside it)."""
        if self.source is None:
            return f"[tool.docgen] {key}"
        path = self.source
        try:
            shown = str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
        except (ValueError, OSError):
            shown = str(path)
        value = json.dumps(self.values.get(key), ensure_ascii=False)
        return f"{shown}{_key_line(path, key)}: [tool.docgen] {key} = {value}"

    # The entity that base-less entity pages derive from (docgen/infer.py); None: the default.
    root_entity: str | None = None


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def _key_line(path: Path, key: str) -> str:
    """`:LINE` of `key` inside `[tool.docgen]`, so an editor can jump to it; "" if not found.

    tomllib keeps no positions, and a best-effort scan is enough to point at a typo.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ""
    section = ""
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if line.startswith("["):
            section = line.strip("[] ").replace(" ", "")
            if section == f"tool.docgen.{key}":
                return f":{number}"
            continue
        if section == "tool.docgen":
            name = line.split("=", 1)[0].strip().strip("\"'")
            if "=" in line and name.split(".")[0] == key:
                return f":{number}"
    return ""


def load(start: Path | None = None) -> Config:
    path = find_pyproject((start or Path.cwd()).resolve())
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    table: Any = data.get("tool", {}).get("docgen")
    if table is None:
        return Config(source=path)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.docgen] must be a table")
    for key in sorted(table):
        if key not in KEYS:
            where = _key_line(path, key)
            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(
                f"{path}{where}: unknown key {key!r} in [tool.docgen]{hint} "
                f"(known keys: {', '.join(KEYS)})"
            )
    base = path.parent

    def one_path(key: str) -> Path | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise ConfigError(f"{path}: [tool.docgen] {key} must be a string")
        return base / value

    docs_value = table.get("docs")
    if isinstance(docs_value, str):
        docs: tuple[Path, ...] = (base / docs_value,)
    elif isinstance(docs_value, list) and all(isinstance(d, str) for d in docs_value):
        docs = tuple(base / d for d in docs_value)
    elif docs_value is None:
        docs = ()
    else:
        raise ConfigError(f"{path}: [tool.docgen] docs must be a string or a list of strings")
    package = table.get("package")
    if package is not None and not isinstance(package, str):
        raise ConfigError(f"{path}: [tool.docgen] package must be a string")
    root_entity = table.get("root-entity")
    if root_entity is not None and not (
        isinstance(root_entity, str) and _QUALIFIED.fullmatch(root_entity.strip())
    ):
        raise ConfigError(
            f"{path}{_key_line(path, 'root-entity')}: [tool.docgen] root-entity must be a "
            f"qualified type name such as 'microsoft.graph.entity', not {root_entity!r}"
        )
    return Config(
        docs,
        one_path("output"),
        package,
        one_path("templates"),
        path,
        dict(table),
        root_entity.strip() if root_entity else None,
    )
