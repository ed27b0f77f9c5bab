"""The resolved model as the JSON that `docgen parse --json` prints (a fixed contract)."""

from __future__ import annotations

import json
from typing import Any

from .model import Model, TypeDef

IR_VERSION = 1


def _type(t: TypeDef) -> dict[str, Any]:
    if t.kind == "enum":
        return {
            "name": t.name,
            "namespace": t.namespace,
            "kind": t.kind,
            "flags": t.flags,
            "description": t.description,
            "source": t.source,
            "line": t.line,
            "members": [
                {"name": m.name, "value": m.value, "description": m.description} for m in t.members
            ],
        }
    return {
        "name": t.name,
        "namespace": t.namespace,
        "kind": t.kind,
        "base": t.base,
        "abstract": t.abstract,
        "open": t.open,
        "key": list(t.key),
        "description": t.description,
        "source": t.source,
        "line": t.line,
        "properties": [
            {
                "name": p.name,
                "type": p.type,
                "collection": p.collection,
                "navigation": p.navigation,
                "nullable": p.nullable,
                "read_only": p.read_only,
                "description": p.description,
                **({"enum": p.enum} if p.enum else {}),
            }
            for p in t.properties
        ],
    }


def to_json(model: Model) -> str:
    data = {
        "version": IR_VERSION,
        "types": [_type(t) for t in sorted(model.types, key=lambda t: t.qualified.lower())],
        "diagnostics": [
            {
                "path": d.path,
                "line": d.line,
                "col": d.col,
                "severity": d.severity,
                "code": d.code,
                "message": d.message,
            }
            for d in model.diagnostics
        ],
    }
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=False) + "\n"
