"""Derive a JSON Schema from docgen's own parse (`docgen parse --json`).

The peer (datamodel-code-generator) then generates the same types from it, so
both tools do the same job: every type, its own properties, its base, its enums.
"""

from __future__ import annotations

import json
import sys
from typing import Any

# Edm primitive -> JSON Schema fragment, as an OpenAPI/JSON-Schema author would map it.
EDM: dict[str, dict[str, Any]] = {
    "Edm.String": {"type": "string"},
    "Edm.Boolean": {"type": "boolean"},
    "Edm.Byte": {"type": "integer"},
    "Edm.SByte": {"type": "integer"},
    "Edm.Int16": {"type": "integer"},
    "Edm.Int32": {"type": "integer"},
    "Edm.Int64": {"type": "integer"},
    "Edm.Single": {"type": "number"},
    "Edm.Double": {"type": "number"},
    "Edm.Decimal": {"type": "number"},
    "Edm.DateTimeOffset": {"type": "string", "format": "date-time"},
    "Edm.Date": {"type": "string", "format": "date"},
    "Edm.TimeOfDay": {"type": "string", "format": "time"},
    "Edm.Duration": {"type": "string", "format": "duration"},
    "Edm.Guid": {"type": "string", "format": "uuid"},
    "Edm.Binary": {"type": "string", "format": "binary"},
    "Edm.Stream": {"type": "string", "format": "binary"},
    "Edm.Untyped": {},
}


def definition_name(qualified: str) -> str:
    """A flat, unique definition key: `callRecords.session` -> `callRecords_session`."""
    namespace, _, name = qualified.rpartition(".")
    if namespace == "microsoft.graph":
        return name
    return f"{namespace.rpartition('.')[2]}_{name}"


def to_schema(ir: dict[str, Any]) -> dict[str, Any]:
    qualified = {f"{t['namespace']}.{t['name']}" for t in ir["types"]}
    defs: dict[str, Any] = {}

    def ref(type_name: str) -> dict[str, Any]:
        if type_name in qualified:
            return {"$ref": f"#/$defs/{definition_name(type_name)}"}
        return dict(EDM.get(type_name, {}))

    for t in ir["types"]:
        key = definition_name(f"{t['namespace']}.{t['name']}")
        if t["kind"] == "enum":
            values = [m["value"] or m["name"] for m in t["members"]]
            defs[key] = {"type": "string", "enum": sorted(set(values), key=values.index)}
            if t.get("description"):
                defs[key]["description"] = t["description"]
            continue
        props: dict[str, Any] = {}
        for p in t["properties"]:
            item = ref(p.get("enum") or p["type"])
            schema = {"type": "array", "items": item} if p["collection"] else item
            if p.get("description"):
                schema = {**schema, "description": p["description"]}
            props[p["name"]] = schema
        body: dict[str, Any] = {"type": "object", "properties": props}
        if t.get("description"):
            body["description"] = t["description"]
        if t.get("base") and t["base"] in qualified:
            body = {"allOf": [ref(t["base"]), body]}
            if t.get("description"):
                body["description"] = t["description"]
        defs[key] = body
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "graph",
        "$defs": defs,
    }


def main(argv: list[str]) -> int:
    """ir_schema.py IR_JSON SCHEMA_JSON"""
    with open(argv[1], encoding="utf-8") as f:
        ir = json.load(f)
    with open(argv[2], "w", encoding="utf-8") as f:
        json.dump(to_schema(ir), f, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
