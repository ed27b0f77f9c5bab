"""Resolve stage: pages linked into one Model (references, bases, kinds, enums, Python names).

Each test writes a few small pages; expected values come from reading them and
from DESIGN.md's contracts for the parsed model.
"""

from __future__ import annotations

import keyword
import textwrap
from pathlib import Path

import pytest

from docgen.extract import extract
from docgen.model import Model, Property, TypeDef
from docgen.read import read_text
from docgen.resolve import resolve


def model(pages: dict[str, str]) -> Model:
    return resolve([extract(read_text(textwrap.dedent(md), src)) for src, md in pages.items()])


def types(m: Model) -> dict[str, TypeDef]:
    return m.by_qualified()


def props(t: TypeDef) -> dict[str, Property]:
    return {p.name: p for p in t.properties}


def diag_tuples(m: Model) -> list[tuple[str, int, str, str]]:
    return [(d.path, d.line, d.severity, d.code) for d in m.diagnostics]


def enum_of(p: Property) -> str | None:
    """The enum a property is bound to: its type, or the enum its listed values imply."""
    return p.enum or (p.type if not p.type.startswith("Edm.") else None)


def resource(name: str, rows: str = "", extra: str = "", namespace: str = "") -> str:
    """A minimal resource page: title, optional namespace line, property table, annotation."""
    ns = f"Namespace: {namespace}\n\n" if namespace else ""
    qualified = f"{namespace or 'microsoft.graph'}.{name}"
    table = (
        "| Property | Type | Description |\n|:--|:--|:--|\n" + textwrap.dedent(rows) if rows else ""
    )
    return (
        f"# {name} resource type\n\n{ns}{textwrap.dedent(extra)}\n{table}\n"
        f'<!-- {{"blockType": "resource", "@odata.type": "{qualified}"}} -->\n'
    )


ENTITY = """\
# entity resource type

<!-- {"blockType": "resource", "@odata.type": "microsoft.graph.entity", "keyProperty": "id"} -->

## Properties

| Property | Type | Description |
|:--|:--|:--|
| id | String | The identifier. Read-only. |
"""


# --- the seed page ---


def test_seed_page_gives_async_job_status_and_its_implied_enum(seed_page: Path) -> None:
    m = model({"asyncjobstatus.md": seed_page.read_text(encoding="utf-8")})
    by = types(m)
    assert sorted(by) == [
        "microsoft.graph.asyncJobStatus",
        "microsoft.graph.asyncJobStatusStatus",
    ]
    job = by["microsoft.graph.asyncJobStatus"]
    assert (job.kind, job.base, job.source, job.line) == (
        "complex",
        None,
        "asyncjobstatus.md",
        11,
    )
    ps = props(job)
    assert list(ps) == ["percentageComplete", "status"]
    assert (ps["percentageComplete"].type, ps["percentageComplete"].collection) == (
        "Edm.Double",
        False,
    )
    assert enum_of(ps["status"]) == "microsoft.graph.asyncJobStatusStatus"
    status = by["microsoft.graph.asyncJobStatusStatus"]
    assert status.kind == "enum" and status.source == "asyncjobstatus.md"
    # It points at the page: the `status` row (28), its heading (30) or its table (32).
    assert status.line in (28, 30, 32)
    assert [(e.name, e.py_name) for e in status.members] == [
        ("notStarted", "NOT_STARTED"),
        ("inProgress", "IN_PROGRESS"),
        ("completed", "COMPLETED"),
        ("failed", "FAILED"),
        ("cancelled", "CANCELLED"),
        ("waiting", "WAITING"),
        ("cancelPending", "CANCEL_PENDING"),
    ]
    assert status.members[-1].description == (
        "The work was cancelled, but processing has not yet aborted."
    )
    assert m.diagnostics == ()


# --- primitives and references ---


@pytest.mark.parametrize(
    ("cell", "qualified", "collection"),
    [
        ("String", "Edm.String", False),
        ("string", "Edm.String", False),
        ("Edm.String", "Edm.String", False),
        ("GUID", "Edm.Guid", False),
        ("guid", "Edm.Guid", False),
        ("DateTimeOffSet", "Edm.DateTimeOffset", False),
        ("dateTimeOffset", "Edm.DateTimeOffset", False),
        ("int", "Edm.Int32", False),
        ("Int64", "Edm.Int64", False),
        ("bool", "Edm.Boolean", False),
        ("Boolean", "Edm.Boolean", False),
        ("Double", "Edm.Double", False),
        ("Date", "Edm.Date", False),
        ("TimeOfDay", "Edm.TimeOfDay", False),
        ("Duration", "Edm.Duration", False),
        ("Binary", "Edm.Binary", False),
        ("Stream", "Edm.Stream", False),
        ("`Int32`", "Edm.Int32", False),
        ("String collection", "Edm.String", True),
        ("collection(string)", "Edm.String", True),
        ("Collection(Edm.String)", "Edm.String", True),
        ("Collection of String", "Edm.String", True),
        ("string, maximum size 20", "Edm.String", False),
    ],
)
def test_primitive_spellings_become_canonical_edm_names(
    cell: str, qualified: str, collection: bool
) -> None:
    m = model({"x.md": resource("x", f"| p | {cell} | d |\n")})
    p = props(types(m)["microsoft.graph.x"])["p"]
    assert (p.type, p.collection) == (qualified, collection)
    assert "Collection" not in p.type
    assert m.diagnostics == ()


REFS = {
    "driveitem.md": resource("driveItem", "| name | String | d |\n"),
    "x.md": resource(
        "x",
        """\
        | inline | [driveItem](driveitem.md) | d |
        | relative | [driveItem](../resources/driveitem.md) | d |
        | reference | [driveItem][] | d |
        | named | [ref][item-link] | d |
        | bare | driveItem | d |
        | otherCase | DriveItem | d |
        | linkCase | [DRIVEITEM](DriveItem.md) | d |
        | coll | [driveItem](driveitem.md) collection | d |
        | coll2 | Collection(driveItem) | d |
        | coll3 | Collection([driveItem][]) | d |
        | qualified | microsoft.graph.driveItem | d |
        """,
        extra="",
    )
    + "\n[driveItem]: driveitem.md\n[item-link]: ../resources/driveitem.md\n",
}


@pytest.mark.parametrize(
    ("prop", "collection"),
    [
        ("inline", False),
        ("relative", False),
        ("reference", False),
        ("named", False),
        ("bare", False),
        ("otherCase", False),
        ("linkCase", False),
        ("coll", True),
        ("coll2", True),
        ("coll3", True),
        ("qualified", False),
    ],
)
def test_references_resolve_to_the_declared_spelling(prop: str, collection: bool) -> None:
    m = model(REFS)
    p = props(types(m)["microsoft.graph.x"])[prop]
    # `type` is the declaring page's canonical spelling, `Collection(...)` never in it.
    assert (p.type, p.collection) == ("microsoft.graph.driveItem", collection)


def test_references_produce_no_warnings() -> None:
    assert model(REFS).diagnostics == ()


def test_reference_by_link_target_file_when_the_page_declares_another_name() -> None:
    m = model(
        {
            "chart.md": resource("workbookChart", "| height | Double | d |\n").replace(
                "# workbookChart resource type", "# chart resource type"
            ),
            "x.md": resource(
                "x", "| chart | [chart](chart.md) |d |\n| c | [Chart](Chart.md) | d |\n"
            ),
        }
    )
    ps = props(types(m)["microsoft.graph.x"])
    assert ps["chart"].type == "microsoft.graph.workbookChart"
    assert ps["c"].type == "microsoft.graph.workbookChart"


def test_link_to_enums_page_anchor() -> None:
    m = model(
        {
            "enums.md": "# Enums\n\n### riskLevel values\n\n| Member |\n|--|\n| low |\n| high |\n",
            "x.md": resource(
                "x",
                "| a | [riskLevel](enums.md#risklevel-values) | d |\n"
                "| b | [values](enums.md#risklevel-values) | d |\n",
            ),
        }
    )
    ps = props(types(m)["microsoft.graph.x"])
    assert ps["a"].type == "microsoft.graph.riskLevel"
    assert ps["b"].type == "microsoft.graph.riskLevel"


def test_a_primitive_linked_to_a_structured_page_stays_the_primitive() -> None:
    # listitemversion.md: `[DateTimeOffset](../resources/timestamp.md)`, where the
    # service sends a date-time string; `[String](...)` to an enum stays the enum.
    m = model(
        {
            "timestamp.md": resource("timeStamp", "| date | Date | d |\n"),
            "enums.md": "# Enums\n\n### riskLevel values\n\n| Member |\n|--|\n| low |\n",
            "x.md": resource(
                "x",
                "| at | [DateTimeOffset](../resources/timestamp.md) | d |\n"
                "| risk | [String](enums.md#risklevel-values) | d |\n",
            ),
        }
    )
    ps = props(types(m)["microsoft.graph.x"])
    assert ps["at"].type == "Edm.DateTimeOffset"
    assert ps["risk"].type == "microsoft.graph.riskLevel"


def test_sub_namespace_references_prefer_their_own_namespace() -> None:
    m = model(
        {
            "session.md": resource("session", "| a | String | d |\n"),
            "callrecords-session.md": resource(
                "session", "| b | String | d |\n", namespace="microsoft.graph.callRecords"
            ),
            "callrecords-callrecord.md": resource(
                "callRecord",
                "| sessions | [session](callrecords-session.md) collection | d |\n"
                "| bare | session | d |\n"
                "| root | microsoft.graph.session | d |\n",
                namespace="microsoft.graph.callRecords",
            ),
        }
    )
    by = types(m)
    assert {"microsoft.graph.session", "microsoft.graph.callRecords.session"} <= set(by)
    ps = props(by["microsoft.graph.callRecords.callRecord"])
    assert (ps["sessions"].type, ps["sessions"].collection) == (
        "microsoft.graph.callRecords.session",
        True,
    )
    assert ps["bare"].type == "microsoft.graph.callRecords.session"
    assert ps["root"].type == "microsoft.graph.session"


def test_union_type_cell_resolves_to_one_alternative() -> None:
    m = model(
        {
            "user.md": resource("user", "| a | String | d |\n"),
            "group.md": resource("group", "| b | String | d |\n"),
            "x.md": resource("x", "| owner | [user](user.md) or [group](group.md) | d |\n"),
        }
    )
    owner = props(types(m)["microsoft.graph.x"])["owner"]
    assert owner.type in ("microsoft.graph.user", "microsoft.graph.group")


def test_unknown_type_warns_at_its_row_and_falls_back_to_string() -> None:
    page = resource("x", "| a | String | d |\n| b | Nonexistent | d |\n")
    # Lines: 1 title, 3 blank (no extra), 4 header, 5 separator, 6 a, 7 b.
    assert page.splitlines()[6].startswith("| b |")
    m = model({"x.md": page})
    assert props(types(m)["microsoft.graph.x"])["b"].type == "Edm.String"
    assert diag_tuples(m) == [("x.md", 7, "warning", "DG501")]
    assert "Nonexistent" in m.diagnostics[0].message


def test_unknown_type_suggests_a_close_name() -> None:
    m = model(
        {
            "driveitem.md": resource("driveItem"),
            "x.md": resource("x", "| a | drivItem | d |\n"),
        }
    )
    assert "microsoft.graph.driveItem" in m.diagnostics[0].message


# --- merging ---


def test_type_declared_on_two_pages_is_merged() -> None:
    m = model(
        {
            "shared-a.md": resource("shared", "| a | String | From page A. |\n"),
            "shared-b.md": resource("Shared", "| b | Int32 | From page B. |\n").replace(
                "microsoft.graph.Shared", "microsoft.graph.shared"
            ),
        }
    )
    by = types(m)
    assert list(by) == ["microsoft.graph.shared"]
    ps = props(by["microsoft.graph.shared"])
    assert {n: p.type for n, p in ps.items()} == {"a": "Edm.String", "b": "Edm.Int32"}


def test_merge_keeps_a_key_from_either_page() -> None:
    m = model(
        {
            "a.md": resource("thing", "| a | String | d |\n"),
            "b.md": '# thing resource type\n\n<!-- {"blockType": "resource", '
            '"@odata.type": "microsoft.graph.thing", "keyProperty": "a"} -->\n',
        }
    )
    t = types(m)["microsoft.graph.thing"]
    assert t.key == ("a",)
    assert t.kind == "entity"


def test_diagnostics_of_a_merged_type_name_the_page_they_come_from() -> None:
    m = model(
        {
            "shared-a.md": resource("shared", "| a | String | d |\n"),
            "shared-b.md": resource("shared", "| b | Nonexistent | d |\n"),
        }
    )
    # shared-b.md: 1 title, 2 blank, 3 blank, 4 header, 5 separator, 6 the `b` row.
    assert diag_tuples(m) == [("shared-b.md", 6, "warning", "DG501")]


# --- JSON representation and inheritance ---

BASE_ITEM = """\
# baseItem resource type

Inherits from [entity](entity.md).

## Properties

| Property | Type | Description |
|:--|:--|:--|
| id | String | Repeated from entity. |
| name | String | The name. |

## JSON representation

<!-- {"blockType": "resource", "@odata.type": "microsoft.graph.baseItem",
      "baseType": "microsoft.graph.entity", "abstract": true} -->
```json
{
  "id": "String",
  "name": "String",
  "webUrl": "String"
}
```
"""

DRIVE_ITEM = """\
# driveItem resource type

Inherits from [baseItem](baseitem.md).

## Properties

| Property | Type | Description |
|:--|:--|:--|
| name | String | Inherited, listed again. |
| size | Int64 | The size. |

## JSON representation

<!-- {"blockType": "resource", "@odata.type": "microsoft.graph.driveItem"} -->
```json
{
  "id": "String",
  "webUrl": "String",
  "size": 1024
}
```
"""


def test_inherited_properties_are_dropped_and_json_only_keys_added() -> None:
    m = model({"entity.md": ENTITY, "baseitem.md": BASE_ITEM, "driveitem.md": DRIVE_ITEM})
    by = types(m)
    entity = by["microsoft.graph.entity"]
    base = by["microsoft.graph.baseItem"]
    drive = by["microsoft.graph.driveItem"]
    assert list(props(entity)) == ["id"]
    # baseItem: `id` is entity's; `webUrl` is only in the JSON, so it is added.
    assert list(props(base)) == ["name", "webUrl"]
    # driveItem: `name`, `id`, `webUrl` are all inherited, table row or JSON key alike.
    assert list(props(drive)) == ["size"]
    assert props(drive)["size"].type == "Edm.Int64"
    assert (base.base, drive.base, entity.base) == (
        "microsoft.graph.entity",
        "microsoft.graph.baseItem",
        None,
    )
    assert base.abstract is True
    # The JSON-only key warns at its line in the code block (line 20 of baseitem.md);
    # driveItem's table row `name` (line 9) is missing from its JSON block.
    assert diag_tuples(m) == [
        ("baseitem.md", 20, "warning", "DG402"),
        ("driveitem.md", 9, "warning", "DG403"),
    ]
    assert "webUrl" in m.diagnostics[0].message


def test_json_only_timestamp_hint_is_a_date_time_offset() -> None:
    page = """\
    # widget resource type

    <!-- {"blockType": "resource", "@odata.type": "microsoft.graph.widget"} -->
    ```json
    {"lastSeenDateTime": "String (timestamp)"}
    ```
    """
    p = props(types(model({"widget.md": page}))["microsoft.graph.widget"])["lastSeenDateTime"]
    assert (p.type, p.collection) == ("Edm.DateTimeOffset", False)


def test_kinds_follow_keys_and_ancestors() -> None:
    m = model(
        {
            "entity.md": ENTITY,
            "baseitem.md": BASE_ITEM,
            "driveitem.md": DRIVE_ITEM,
            "geo.md": resource("geoCoordinates", "| latitude | Double | d |\n"),
        }
    )
    kinds = {q: t.kind for q, t in types(m).items()}
    assert kinds == {
        "microsoft.graph.entity": "entity",  # it has the key
        "microsoft.graph.baseItem": "entity",  # an ancestor has it
        "microsoft.graph.driveItem": "entity",
        "microsoft.graph.geoCoordinates": "complex",
    }
    assert types(m)["microsoft.graph.entity"].key == ("id",)


def test_base_named_in_both_annotation_and_prose() -> None:
    m = model(
        {
            "entity.md": ENTITY,
            "outlookitem.md": resource("outlookItem", "| categories | String collection | d |\n"),
            "message.md": """\
            # message resource type

            Inherits from [outlookItem](outlookitem.md).

            <!-- {"blockType": "resource", "@odata.type": "microsoft.graph.message",
                  "baseType": "microsoft.graph.outlookItem"} -->
            """,
        }
    )
    assert types(m)["microsoft.graph.message"].base == "microsoft.graph.outlookItem"
    assert m.diagnostics == ()


def test_annotation_and_prose_naming_ancestor_and_parent_pick_the_parent() -> None:
    outlook = """\
    # outlookItem resource type

    Inherits from [entity](entity.md).

    | Property | Type | Description |
    |:--|:--|:--|
    | categories | String collection | d |
    """
    message = """\
    # message resource type

    Inherits from [outlookItem](outlookitem.md).

    <!-- {"blockType": "resource", "@odata.type": "microsoft.graph.message",
          "baseType": "microsoft.graph.entity"} -->
    """
    m = model({"entity.md": ENTITY, "outlookitem.md": outlook, "message.md": message})
    assert types(m)["microsoft.graph.message"].base == "microsoft.graph.outlookItem"


def test_annotation_and_prose_disagreeing_warn() -> None:
    m = model(
        {
            "one.md": resource("one", "| x | String | d |\n"),
            "two.md": resource("two", "| y | String | d |\n"),
            "z.md": """\
            # z resource type

            Inherits from [two](two.md).

            <!-- {"blockType": "resource", "@odata.type": "microsoft.graph.z",
                  "baseType": "microsoft.graph.one"} -->
            """,
        }
    )
    assert types(m)["microsoft.graph.z"].base in ("microsoft.graph.one", "microsoft.graph.two")
    assert [(d.path, d.severity, d.code) for d in m.diagnostics] == [("z.md", "warning", "DG503")]


def test_undeclared_base_warns() -> None:
    m = model({"z.md": resource("z", extra="Inherits from [ghost](ghost.md).\n")})
    assert types(m)["microsoft.graph.z"].base is None
    assert [(d.path, d.code) for d in m.diagnostics] == [("z.md", "DG502")]


def test_derived_types_section_sets_the_base_of_pages_that_name_none() -> None:
    base = """\
    # identitySet resource type

    | Property | Type | Description |
    |:--|:--|:--|
    | user | String | d |

    ## Derived types

    | Type | Description |
    |:--|:--|
    | [chatMessageFromIdentitySet](chatmessagefromidentityset.md) | d |
    """
    m = model(
        {
            "identityset.md": base,
            "chatmessagefromidentityset.md": resource("chatMessageFromIdentitySet"),
        }
    )
    derived = types(m)["microsoft.graph.chatMessageFromIdentitySet"]
    assert derived.base == "microsoft.graph.identitySet"


def keyed_page(name: str, rows: str = "", base: str = "") -> str:
    """A page whose annotation says `"keyProperty": "id"`, optionally with a baseType."""
    base_field = f', "baseType": "microsoft.graph.{base}"' if base else ""
    table = "| Property | Type | Description |\n|:--|:--|:--|\n" + rows if rows else ""
    return (
        f"# {name} resource type\n\n{table}\n"
        f'<!-- {{"blockType": "resource", "@odata.type": "microsoft.graph.{name}", '
        f'"keyProperty": "id"{base_field}}} -->\n'
    )


ROOT_FAMILY = {
    "entity.md": ENTITY,
    "a.md": keyed_page("a", base="entity"),
    "b.md": keyed_page("b", base="entity"),
    "c.md": keyed_page("c", base="entity"),
}


def test_entity_pages_that_name_no_base_derive_from_the_root() -> None:
    m = model(
        {
            **ROOT_FAMILY,
            # lists the key but names no base
            "listed.md": keyed_page("listed", "| id | String | d |\n| size | Int32 | d |\n"),
            # neither key nor base, but a relationship's target: an entity all the same
            "target.md": resource("target", "| size | Int32 | d |\n"),
            "holder.md": keyed_page(
                "holder",
                "| id | String | d |\n",
                base="entity",
            ).replace(
                "| id | String | d |\n",
                "| id | String | d |\n\n## Relationships\n\n| Relationship | Type | Description |\n"
                "|:--|:--|:--|\n| target | [target](target.md) | d |\n",
            ),
            "value.md": resource("value", "| size | Int32 | d |\n"),
        }
    )
    wanted = ("entity", "listed", "target", "value")
    got = {q: (t.kind, t.base) for q, t in types(m).items() if q.rpartition(".")[2] in wanted}
    assert got == {
        "microsoft.graph.entity": ("entity", None),
        "microsoft.graph.listed": ("entity", "microsoft.graph.entity"),
        "microsoft.graph.target": ("entity", "microsoft.graph.entity"),
        "microsoft.graph.value": ("complex", None),
    }
    # the inherited `id` is not repeated on the derived class
    assert "id" not in props(types(m)["microsoft.graph.listed"])


def test_key_property_the_page_does_not_list_makes_no_entity() -> None:
    """`"keyProperty": "id"` copied onto a settings page with no `id` and no base."""
    m = model(
        {
            **ROOT_FAMILY,
            "settings.md": keyed_page("settings", "| enabled | Boolean | d |\n"),
            # with a base the key is inherited, so it still counts
            "derived.md": keyed_page("derived", "| size | Int32 | d |\n", base="a"),
        }
    )
    settings = types(m)["microsoft.graph.settings"]
    assert (settings.kind, settings.base) == ("complex", None)
    derived = types(m)["microsoft.graph.derived"]
    assert (derived.kind, derived.base) == ("entity", "microsoft.graph.a")


def test_inheritance_cycle_is_a_warning_and_the_build_goes_on() -> None:
    a = '# a resource type\n\n<!-- {"blockType": "resource", "@odata.type": "microsoft.graph.a", "baseType": "microsoft.graph.b"} -->\n'  # noqa: E501
    b = '# b resource type\n\n<!-- {"blockType": "resource", "@odata.type": "microsoft.graph.b", "baseType": "microsoft.graph.a"} -->\n'  # noqa: E501
    m = model({"a.md": a, "b.md": b})
    assert not m.has_errors
    (d,) = [d for d in m.diagnostics if d.code == "DG504"]
    assert d.severity == "warning"
    # Equal evidence: the later page's claim gives way; both pages are named.
    assert (d.path, d.line) == ("b.md", 3)
    assert "a.md:3" in d.message and "b.md:3" in d.message
    assert {q: t.base for q, t in types(m).items()} == {
        "microsoft.graph.a": "microsoft.graph.b",
        "microsoft.graph.b": None,
    }


# --- enums ---


def test_value_table_named_by_a_type_cell_keeps_its_name_one_naming_a_string_does_not() -> None:
    """`riskLevel` is the type cell's name: a documented enum. `mode values` only
    repeats the name of a `String` property, so its enum is `<type><Property>`
    (issue 15.6: no generic `Mode`, `State`, `Type` enums shared across pages)."""
    page = """\
    # alert resource type

    | Property | Type | Description |
    |:--|:--|:--|
    | riskLevel | riskLevel | d |
    | mode | String | d |

    ### riskLevel values

    | Member | Description |
    |:--|:--|
    | low | Low. |
    | high | High. |

    ### mode values

    | Member |
    |:--|
    | auto |
    | manual |
    """
    m = model({"alert.md": page})
    by = types(m)
    assert sorted(by) == [
        "microsoft.graph.alert",
        "microsoft.graph.alertMode",
        "microsoft.graph.riskLevel",
    ]
    ps = props(by["microsoft.graph.alert"])
    assert enum_of(ps["riskLevel"]) == "microsoft.graph.riskLevel"
    assert enum_of(ps["mode"]) == "microsoft.graph.alertMode"
    assert [e.name for e in by["microsoft.graph.alertMode"].members] == ["auto", "manual"]
    assert by["microsoft.graph.riskLevel"].line == 8


def test_possible_values_matching_a_documented_enum_use_it() -> None:
    m = model(
        {
            "enums.md": "# Enums\n\n### color values\n\n| Member |\n|--|\n| red |\n| green |\n"
            "| unknownFutureValue |\n",
            "x.md": resource("x", "| tint | String | Possible values are: `green`, `red`. |\n"),
        }
    )
    by = types(m)
    assert sorted(by) == ["microsoft.graph.color", "microsoft.graph.x"]
    assert enum_of(props(by["microsoft.graph.x"])["tint"]) == "microsoft.graph.color"


def test_possible_values_with_no_documented_enum_make_type_property_enum() -> None:
    m = model(
        {
            "enums.md": "# Enums\n\n### color values\n\n| Member |\n|--|\n| red |\n| green |\n",
            "x.md": resource("x", "| hue | String | Possible values are: `red`, `blue`. |\n"),
        }
    )
    by = types(m)
    assert "microsoft.graph.xHue" in by
    hue = by["microsoft.graph.xHue"]
    assert hue.kind == "enum" and hue.source == "x.md"
    assert [e.name for e in hue.members] == ["red", "blue"]
    assert enum_of(props(by["microsoft.graph.x"])["hue"]) == "microsoft.graph.xHue"


def test_enum_members_keep_order_values_and_flags() -> None:
    page = """\
    # clonableTeamParts enum type

    ## Members

    | Member | Value | Description |
    |:--|:--|:--|
    | apps | 1 | Apps. |
    | tabs | 2 | Tabs. |
    | settings | 4 | Settings. |
    | channels | 8 | Channels. |
    """
    t = types(model({"clonableteamparts.md": page}))["microsoft.graph.clonableTeamParts"]
    assert t.kind == "enum" and t.flags is True
    assert [(e.name, e.py_name, e.value) for e in t.members] == [
        ("apps", "APPS", 1),
        ("tabs", "TABS", 2),
        ("settings", "SETTINGS", 4),
        ("channels", "CHANNELS", 8),
    ]


# --- Python names ---


def test_field_names_for_keywords_builtins_and_clashes() -> None:
    m = model(
        {
            "x.md": resource(
                "x",
                """\
                | from | String | d |
                | class | String | d |
                | createdDateTime | DateTimeOffset | d |
                | e-mail | String | d |
                | eMail | String | d |
                | to_dict | String | d |
                | self | String | d |
                """,
            )
        }
    )
    ps = props(types(m)["microsoft.graph.x"])
    assert ps["from"].py_name == "from_"
    assert ps["class"].py_name == "class_"
    assert ps["createdDateTime"].py_name == "created_date_time"
    py_names = [p.py_name for p in ps.values()]
    assert len(set(py_names)) == len(py_names)  # e-mail and eMail differ only in punctuation
    assert {ps["e-mail"].py_name, ps["eMail"].py_name} >= {"e_mail"}
    assert ps["to_dict"].py_name != "to_dict"  # would shadow the model's method
    for name in py_names:
        assert name.isidentifier() and not keyword.iskeyword(name) and name != "self"


def test_field_names_are_unique_against_inherited_fields() -> None:
    base = resource("animal", "| legCount | Int32 | d |\n")
    derived = resource(
        "dog", "| leg_count | Int32 | d |\n", extra="Inherits from [animal](animal.md).\n"
    )
    m = model({"animal.md": base, "dog.md": derived})
    dog = types(m)["microsoft.graph.dog"]
    assert dog.base == "microsoft.graph.animal"
    assert props(types(m)["microsoft.graph.animal"])["legCount"].py_name == "leg_count"
    assert props(dog)["leg_count"].py_name != "leg_count"


def test_classes_and_modules() -> None:
    m = model(
        {
            "driveitem.md": resource("driveItem"),
            "callrecords-session.md": resource("session", namespace="microsoft.graph.callRecords"),
        }
    )
    by = types(m)
    assert (
        by["microsoft.graph.driveItem"].py_class,
        by["microsoft.graph.driveItem"].py_module,
    ) == (
        "DriveItem",
        "drive_item",
    )
    session = by["microsoft.graph.callRecords.session"]
    assert (session.py_class, session.py_module) == ("Session", "call_records.session")


def test_modules_unique_on_case_insensitive_file_systems() -> None:
    # `iosDevice` and `ios_Device` are different types whose module stems collide.
    m = model(
        {
            "a.md": resource("iosDevice"),
            "b.md": resource("ios_Device"),
            "c.md": resource("IOSDevice2"),
            "d.md": resource("iosDevice2"),
        }
    )
    by = types(m)
    assert len(by) == 3  # IOSDevice2 and iosDevice2 are one type, merged case-insensitively
    modules = [t.py_module for t in by.values()]
    assert len({mod.lower() for mod in modules}) == len(modules)
    classes = [t.py_class for t in by.values()]
    assert len({c.lower() for c in classes}) == len(classes)
    for t in by.values():
        assert all(part.isidentifier() for part in t.py_module.split("."))
        assert t.py_class.isidentifier()


def test_type_module_does_not_clash_with_a_subpackage() -> None:
    # microsoft.graph.callRecords the type vs microsoft.graph.callRecords the namespace.
    m = model(
        {
            "callrecords.md": resource("callRecords"),
            "callrecords-session.md": resource("session", namespace="microsoft.graph.callRecords"),
        }
    )
    by = types(m)
    assert by["microsoft.graph.callRecords.session"].py_module == "call_records.session"
    assert by["microsoft.graph.callRecords"].py_module.lower() != "call_records"


@pytest.mark.parametrize("name", ["class", "None", "3dModel", "_private", "Enum", "Any"])
def test_class_names_are_valid_and_do_not_shadow(name: str) -> None:
    m = model({"x.md": resource(name, "| a | String | d |\n")})
    (t,) = m.types
    assert t.py_class.isidentifier() and not keyword.iskeyword(t.py_class)
    assert t.py_class not in ("None", "Enum", "Any")
    assert all(p.isidentifier() and not keyword.iskeyword(p) for p in t.py_module.split("."))


def test_enum_member_names_are_safe_for_enum() -> None:
    page = """\
    # Enums

    ### weird values

    | Member |
    |:--|
    | `name` |
    | `value` |
    | `_missing_` |
    | `mro` |
    | `a-b` |
    | `a_b` |
    | `a.b` |
    | `OK` |
    | `ok` |
    """
    (t,) = model({"enums.md": page}).types
    wire = [e.name for e in t.members]
    assert wire == ["name", "value", "_missing_", "mro", "a-b", "a_b", "a.b", "OK", "ok"]
    py = [e.py_name for e in t.members]
    assert len({p for p in py}) == len(py)
    assert py[:2] == ["NAME", "VALUE"]
    # An Enum with these member names (and the wire values) must be constructible.
    import enum

    built = enum.Enum("Weird", [(p, w) for p, w in zip(py, wire, strict=True)], type=str)
    assert [m.value for m in built] == wire
    for p in py:
        assert p.isidentifier() and not (p.startswith("_") or p.endswith("_"))
        assert p == p.upper()


# --- determinism ---


def test_types_are_sorted_and_order_of_pages_does_not_matter() -> None:
    pages = {
        "b.md": resource("Beta", "| z | String | d |\n| a | Int32 | d |\n"),
        "a.md": resource("alpha", "| ref | [Beta](b.md) | d |\n"),
        "enums.md": "# Enums\n\n### gamma values\n\n| Member |\n|--|\n| one |\n| two |\n",
    }
    m1 = model(pages)
    m2 = model(dict(reversed(list(pages.items()))))
    assert m1 == m2
    qualified = [t.qualified for t in m1.types]
    assert qualified == sorted(qualified, key=str.lower)
    # Properties keep page order.
    assert [p.name for p in types(m1)["microsoft.graph.Beta"].properties] == ["z", "a"]
