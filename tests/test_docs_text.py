"""Namespaces, descriptions, property-name case and enum naming/flags (issues 12.4-12.6, 15.6).

Each test writes small pages and states what a reader of those pages expects.
"""

from __future__ import annotations

import textwrap

import pytest

from docgen.extract import extract
from docgen.lenient import summary_text
from docgen.model import Model, PageDecls, Property, TypeDef
from docgen.read import Paragraph, read_text
from docgen.resolve import resolve


def page(md: str, source: str) -> PageDecls:
    return extract(read_text(textwrap.dedent(md), source))


def model(pages: dict[str, str]) -> Model:
    return resolve([page(md, src) for src, md in pages.items()])


def types(m: Model) -> dict[str, TypeDef]:
    return m.by_qualified()


def props(t: TypeDef) -> dict[str, Property]:
    return {p.name: p for p in t.properties}


def codes(m: Model) -> list[tuple[str, str]]:
    return [(d.path, d.code) for d in m.diagnostics]


def resource(
    name: str,
    rows: str = "",
    intro: str = "",
    namespace: str | None = "microsoft.graph",
    front: str = "",
    json_body: str = "",
    annotation_ns: str | None = None,
) -> str:
    """A resource page: front matter, title, Namespace line, intro, table, annotation."""
    fm = f"---\ndescription: {front}\n---\n\n" if front else ""
    ns_line = f"Namespace: {namespace}\n\n" if namespace else ""
    qualified = f"{annotation_ns or namespace or 'microsoft.graph'}.{name}"
    table = "| Property | Type | Description |\n|:--|:--|:--|\n" + textwrap.dedent(rows)
    code = f"```json\n{textwrap.dedent(json_body)}\n```\n" if json_body else ""
    return (
        f"{fm}# {name} resource type\n\n{ns_line}{textwrap.dedent(intro)}\n\n"
        f"## Properties\n\n{table}\n## JSON representation\n\n"
        f'<!-- {{"blockType": "resource", "@odata.type": "{qualified}"}} -->\n{code}'
    )


# --- 12.5 descriptions ---


def test_block_quotes_are_marked_when_read() -> None:
    blocks = read_text("> **Note:** a note\n> on two lines.\n\nProse.\n", "x.md").blocks
    assert [(b.text, b.quoted) for b in blocks if isinstance(b, Paragraph)] == [
        ("Note: a note on two lines.", True),
        ("Prose.", False),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Namespace: microsoft.graph",
        "[!INCLUDE [beta-disclaimer](../../includes/beta-disclaimer.md)]",
        "Note: The Microsoft Graph API for Intune requires an active Intune license for the "
        "tenant.",
        "Important: Microsoft Graph APIs under the /beta version are subject to change; "
        "production use is not supported.",
        "This API is in preview; preview APIs are subject to change.",
        "Not yet documented",
        "The following is a JSON representation of the resource.",
        "",
    ],
)
def test_boilerplate_is_not_a_summary(text: str) -> None:
    assert not summary_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "Represents an Azure AD user account.",
        "Notebooks hold notes about beta features.",
        "Describes the JSON representation of a schema extension's properties.",
    ],
)
def test_prose_is_a_summary(text: str) -> None:
    assert summary_text(text)


NOTES = """\
[!INCLUDE [beta-disclaimer](../../includes/beta-disclaimer.md)]

> **Important:** Microsoft Graph APIs under the /beta version are subject to change;
> production use is not supported.

> **Note:** The Microsoft Graph API for Intune requires an
> [active Intune license](https://go.microsoft.com/fwlink/?linkid=839381) for the tenant.

> [!NOTE]
> Some caution about throttling.

Represents a vehicle of the fleet.

A second paragraph that is not the summary.
"""


def test_summary_skips_includes_notes_licence_and_beta_disclaimer() -> None:
    t = page(resource("vehicle", "| id | String | d |\n", NOTES), "vehicle.md").types[0]
    assert t.description == "Represents a vehicle of the fleet."


def test_unquoted_notes_and_disclaimers_are_not_the_summary_either() -> None:
    intro = """\
    Note: The Microsoft Graph API for Intune requires an active Intune license for the tenant.

    Important: Microsoft Graph APIs under the /beta version are subject to change; production
    use is not supported.

    APIs under the /beta version in Microsoft Graph are subject to change.

    Caution: do not use in production.

    A depot where vehicles park.
    """
    t = page(resource("depot", "| id | String | d |\n", intro), "depot.md").types[0]
    assert t.description == "A depot where vehicles park."


def test_a_summary_that_mentions_notes_in_passing_is_kept() -> None:
    intro = "Notebooks hold notes; an important resource for beta testers.\n"
    t = page(resource("notebook", "| id | String | d |\n", intro), "notebook.md").types[0]
    assert t.description == "Notebooks hold notes; an important resource for beta testers."


def test_front_matter_description_is_the_fallback() -> None:
    md = resource("route", "| id | String | d |\n", NOTES.split("Represents")[0], front="A route.")
    assert page(md, "route.md").types[0].description == "A route."


def test_placeholders_are_no_description() -> None:
    md = resource(
        "stop",
        "| id | String | d |\n",
        "> **Note:** x requires an active Intune license for the tenant.\n\nNot yet documented\n",
        front="The following is a JSON representation of the resource.",
    )
    assert page(md, "stop.md").types[0].description == ""


USER_INTUNE = resource(
    "user",
    "| deviceEnrollmentLimit | Int32 | Enrollment limit. |\n| id | String | Key. |\n",
    "> **Note:** The Microsoft Graph API for Intune requires an active Intune license for the "
    "tenant.\n\nNot yet documented\n",
)
USER_OWN = resource(
    "user",
    "| id | String | The identifier. |\n| displayName | String | The name. |\n",
    "[!INCLUDE [beta-disclaimer](../../includes/beta-disclaimer.md)]\n\n"
    "Represents an Azure AD user account.\n",
)
USER_OTHER = resource(
    "user",
    "| mail | String | Mail. |\n",
    "The user, as the mail pages see it.\n",
)


def test_a_type_on_several_pages_takes_source_summary_and_order_from_its_own_page() -> None:
    for order in (
        [("intune-devices-user.md", USER_INTUNE), ("user.md", USER_OWN), ("a-user.md", USER_OTHER)],
        [("a-user.md", USER_OTHER), ("user.md", USER_OWN), ("intune-devices-user.md", USER_INTUNE)],
    ):
        user = types(model(dict(order)))["microsoft.graph.user"]
        assert user.source == "user.md"
        assert user.description == "Represents an Azure AD user account."
        # The own page's rows first, in its order; then what the other pages add.
        assert [p.name for p in user.properties][:2] == ["id", "displayName"]
        assert set(props(user)) == {"id", "displayName", "deviceEnrollmentLimit", "mail"}


def test_without_a_page_named_after_it_the_page_whose_main_type_it_is_wins() -> None:
    second = (
        "# bundle resource type\n\nNamespace: microsoft.graph\n\nA bundle.\n\n"
        '<!-- {"blockType": "resource", "@odata.type": "microsoft.graph.bundle"} -->\n'
        "```json\n{}\n```\n\n"
        '<!-- {"blockType": "resource", "@odata.type": "microsoft.graph.part"} -->\n'
        "```json\n{}\n```\n"
    )
    own = resource("part", "| id | String | d |\n", "A part of a bundle.\n")
    m = model({"a-bundle.md": second, "z-part-page.md": own})
    part = types(m)["microsoft.graph.part"]
    assert (part.source, part.description) == ("z-part-page.md", "A part of a bundle.")


ENUMS_PAGE = """\
# Enum values

Namespace: microsoft.graph

### ageGroup values

| Member |
|:--|
| minor |
| adult |
"""


def test_an_enum_without_a_description_says_where_it_is_used() -> None:
    user = resource("user", "| ageGroup | ageGroup | The age group. |\n", "A user.\n")
    kid = resource("kid", "| group | ageGroup | Its group. |\n", "A kid.\n")
    by = types(model({"enums.md": ENUMS_PAGE, "user.md": user, "kid.md": kid}))
    assert by["microsoft.graph.ageGroup"].description == "Values of Kid.group, User.ageGroup."


def test_a_synthesised_enum_says_where_it_is_used() -> None:
    md = resource("quota", "| state | String | Possible values are: `normal`, `full`. |\n", "Q.\n")
    by = types(model({"quota.md": md}))
    assert by["microsoft.graph.quotaState"].description == "Values of Quota.state."


def test_a_type_with_no_summary_is_described_by_what_holds_or_returns_it() -> None:
    holder = resource("fleet", "| overview | [fleetOverview](fleetoverview.md) | Counts. |\n", "F.")
    held = resource("fleetOverview", "| total | Int32 | d |\n", "Not yet documented\n")
    report = resource("usage", "| total | Int32 | d |\n", "")
    overview = (
        "# Usage reports\n\n| Function | CSV return type | JSON return type | Description |\n"
        "|:--|:--|:--|:--|\n"
        "| [Get usage](../api/get-usage.md) | Stream | [usage](usage.md) | Trends of use. |\n"
    )
    by = types(
        model(
            {
                "fleet.md": holder,
                "fleetoverview.md": held,
                "usage.md": report,
                "usage-reports.md": overview,
            }
        )
    )
    assert by["microsoft.graph.fleetOverview"].description == "The type of Fleet.overview: Counts."
    assert by["microsoft.graph.usage"].description == "Returned by Get usage: Trends of use."


# --- 12.4 namespaces ---

TRIP = resource(
    "trip",
    "| id | String | d |\n| route | [routePoint](fleetrecords-routepoint.md) | d |\n",
    "A trip.\n",
    namespace="microsoft.graph.fleetRecords",
)
ROUTE_POINT_LOWER = resource(
    "routePoint", "| lat | Double | d |\n", "A point.\n", namespace="microsoft.graph.fleetrecords"
)


def test_namespaces_differing_in_case_are_one_namespace_and_one_package() -> None:
    m = model({"fleetrecords-trip.md": TRIP, "fleetrecords-routepoint.md": ROUTE_POINT_LOWER})
    by = types(m)
    assert sorted(by) == [
        "microsoft.graph.fleetRecords.routePoint",
        "microsoft.graph.fleetRecords.trip",
    ]
    assert {t.py_module.split(".")[0] for t in by.values()} == {"fleet_records"}
    assert props(by["microsoft.graph.fleetRecords.trip"])["route"].type == (
        "microsoft.graph.fleetRecords.routePoint"
    )
    assert ("fleetrecords-routepoint.md", "DG520") in codes(m)


def test_namespace_spelling_does_not_depend_on_page_order_or_counts() -> None:
    one = {"a.md": ROUTE_POINT_LOWER, "b.md": TRIP}
    many = {f"p{i}.md": ROUTE_POINT_LOWER.replace("routePoint", f"p{i}") for i in range(5)}
    for pages in (one, dict(reversed(one.items())), {**one, **many}):
        namespaces = {t.namespace for t in model(pages).types}
        assert namespaces == {"microsoft.graph.fleetRecords"}


def test_the_root_namespace_in_capitals_is_the_root() -> None:
    md = resource("car", "| id | String | d |\n", "A car.\n", annotation_ns="Microsoft.Graph")
    m = model({"car.md": md.replace("Namespace: microsoft.graph", "Namespace: Microsoft.Graph")})
    (car,) = m.types
    assert (car.qualified, car.py_module) == ("microsoft.graph.car", "car")


ENUMS_NO_NS = """\
# Fleet records enum values

### tripState values

| Member |
|:--|
| planned |
| done |
"""


def test_an_enum_page_without_namespace_takes_the_namespace_of_the_types_using_it() -> None:
    trip = TRIP.replace("| id | String | d |", "| state | tripState | d |")
    m = model({"enums-fleetrecords.md": ENUMS_NO_NS, "fleetrecords-trip.md": trip})
    by = types(m)
    assert "microsoft.graph.fleetRecords.tripState" in by
    assert by["microsoft.graph.fleetRecords.tripState"].py_module.startswith("fleet_records.")
    assert props(by["microsoft.graph.fleetRecords.trip"])["state"].type == (
        "microsoft.graph.fleetRecords.tripState"
    )
    (warning,) = [d for d in m.diagnostics if d.code == "DG521"]
    assert warning.path == "enums-fleetrecords.md" and warning.severity == "warning"
    assert "microsoft.graph.fleetRecords" in warning.message and "trip.state" in warning.message


def test_without_users_an_enum_page_takes_its_familys_namespace() -> None:
    m = model({"enums-fleetrecords.md": ENUMS_NO_NS, "fleetrecords-trip.md": TRIP})
    assert "microsoft.graph.fleetRecords.tripState" in types(m)
    assert ("enums-fleetrecords.md", "DG521") in codes(m)


def test_an_enum_page_without_evidence_stays_in_the_default_namespace_quietly() -> None:
    m = model({"enums-misc.md": ENUMS_NO_NS})
    assert "microsoft.graph.tripState" in types(m)
    assert not [c for c in codes(m) if c[1] == "DG521"]


def test_types_using_a_same_named_enum_of_their_own_namespace_do_not_vote() -> None:
    """Locality: root pages that use the root's own `tripState` cannot pull the page."""
    trip = TRIP.replace("| id | String | d |", "| state | tripState | d |")
    own_root = (
        "# Enums\n\nNamespace: microsoft.graph\n\n### tripState values\n\n"
        "| Member |\n|:--|\n| x |\n| y |\n"
    )
    pages = {
        "enums-fleetrecords.md": ENUMS_NO_NS,
        "fleetrecords-trip.md": trip,
        "enums.md": own_root,
    }
    for i in range(5):
        pages[f"car{i}.md"] = resource(f"car{i}", "| state | tripState | d |\n", "A car.\n")
    by = types(model(pages))
    assert "microsoft.graph.fleetRecords.tripState" in by
    assert [m.name for m in by["microsoft.graph.tripState"].members] == ["x", "y"]


# --- 12.6 property names that differ only in case ---


def test_a_json_key_differing_only_in_case_is_the_tables_property() -> None:
    md = resource(
        "location",
        "| id | String | Key. |\n| subUnit | String collection | Where. |\n",
        "A location.\n",
        json_body='{\n  "Id": "String",\n  "subunit": ["String"]\n}',
    )
    m = model({"location.md": md})
    (loc,) = m.types
    assert [p.name for p in loc.properties] == ["id", "subUnit"]
    assert props(loc)["subUnit"].collection
    assert not [c for c in codes(m) if c[1] in ("DG402", "DG403", "DG404")]
    assert [c for c in codes(m) if c[1] == "DG210"] == [("location.md", "DG210")] * 2


def test_the_json_spelling_wins_only_where_the_table_breaks_camel_case() -> None:
    md = resource(
        "usage",
        "| printerID | String | d |\n| Total | Int32 | d |\n",
        "U.\n",
        json_body='{\n  "printerId": "String",\n  "total": 1\n}',
    )
    (usage,) = model({"usage.md": md}).types
    assert [p.name for p in usage.properties] == ["printerId", "total"]


def test_a_json_only_key_on_one_page_and_a_row_on_another_are_one_property() -> None:
    a = resource(
        "item", "| id | String | d |\n", "I.\n", json_body='{"id": "x", "displayname": "x"}'
    )
    b = resource("item", "| displayName | String | The name. |\n", "I.\n")
    (item,) = model({"item.md": a, "z-item.md": b}).types
    assert sorted(p.name for p in item.properties) == ["displayName", "id"]
    assert props(item)["displayName"].description == "The name."


# --- 15.6 enums: flags and synthesised names ---


def enum_page(
    name: str, members: str, intro: str = "", head: str = "| Member | Value | Description |"
) -> str:
    sep = "|" + ":--|" * (head.count("|") - 1)
    return (
        f"# {name} enum type\n\nNamespace: microsoft.graph\n\n{intro}\n\n"
        f"## Members\n\n{head}\n{sep}\n{textwrap.dedent(members)}"
    )


def flags(pages: dict[str, str], name: str) -> bool:
    return types(model(pages))[f"microsoft.graph.{name}"].flags


def test_flags_from_powers_of_two() -> None:
    md = enum_page(
        "parts", "| none | 0 | n |\n| apps | 1 | a |\n| tabs | 2 | t |\n| all | 4 | x |\n"
    )
    assert flags({"parts.md": md}, "parts")


def test_small_or_counting_values_are_not_flags() -> None:
    counting = enum_page("level", "| a | 0 | |\n| b | 1 | |\n| c | 2 | |\n| d | 3 | |\n")
    pair = enum_page("pair", "| block | 1 | Blocked. |\n| unblock | 2 | Not blocked. |\n")
    named = enum_page("flagStatus", "| notFlagged | 0 | |\n| flagged | 1 | Flagged. |\n")
    assert not flags({"level.md": counting}, "level")
    assert not flags({"pair.md": pair}, "pair")
    assert not flags({"flagstatus.md": named}, "flagStatus")


def test_flags_from_the_word_in_a_description() -> None:
    by_intro = enum_page("arch", "| x86 | 1 | |\n| x64 | 2 | |\n", "A flags enum of architectures.")
    by_member = enum_page("kind", "| none | 0 | No flags set. |\n| desktop | 1 | |\n")
    bitwise = enum_page("mask", "| a | 1 | |\n| b | 2 | Combine bitwise with a. |\n")
    assert flags({"arch.md": by_intro}, "arch")
    assert flags({"kind.md": by_member}, "kind")
    assert flags({"mask.md": bitwise}, "mask")


def test_flags_from_a_flags_column() -> None:
    md = enum_page(
        "scope", "| guest | 1 | Yes |\n| domain | 2 | Yes |\n", head="| Member | Value | Flags |"
    )
    assert flags({"scope.md": md}, "scope")


def test_flags_from_comma_joined_values_in_a_json_representation() -> None:
    enum = enum_page("entities", "| shift | 0 | |\n| swap | 1 | |\n| openShift | 2 | |\n")
    user = resource(
        "integration",
        "| supported | entities | d |\n",
        "I.\n",
        json_body='{"supported": "shift,swap"}',
    )
    not_members = resource(
        "other", "| supported | entities | d |\n", "O.\n", json_body='{"supported": "a,b"}'
    )
    assert flags({"entities.md": enum, "integration.md": user}, "entities")
    assert not flags({"entities.md": enum, "other.md": not_members}, "entities")


def test_value_tables_repeating_a_string_propertys_name_get_type_property_names() -> None:
    """`DisplayAs options` on two pages: two enums, never one with both pages' members."""
    table = "## DisplayAs options\n\n| Value | Description |\n|:--|:--|\n"
    date = (
        resource("dateTimeColumn", "| displayAs | string | How. |\n", "D.\n")
        + table
        + ("| default | d |\n| friendly | f |\n")
    )
    number = (
        resource("numberColumn", "| displayAs | string | How. |\n", "N.\n")
        + table
        + ("| number | n |\n| percentage | p |\n")
    )
    by = types(model({"datetimecolumn.md": date, "numbercolumn.md": number}))
    assert "microsoft.graph.DisplayAs" not in by
    date_enum = by["microsoft.graph.dateTimeColumnDisplayAs"]
    number_enum = by["microsoft.graph.numberColumnDisplayAs"]
    assert [m.name for m in date_enum.members] == ["default", "friendly"]
    assert [m.description for m in date_enum.members] == ["d", "f"]
    assert [m.name for m in number_enum.members] == ["number", "percentage"]
    date_prop = props(by["microsoft.graph.dateTimeColumn"])["displayAs"]
    assert (date_prop.type, date_prop.enum) == (
        "Edm.String",
        "microsoft.graph.dateTimeColumnDisplayAs",
    )


def test_a_synthesised_enum_reuses_a_documented_enum_only_with_exactly_its_members() -> None:
    enums = (
        "# Enums\n\nNamespace: microsoft.graph\n\n### color values\n\n| Member |\n|:--|\n"
        "| red |\n| green |\n"
    )
    same = resource("a", "| tint | String | Possible values are: `green`, `red`. |\n", "A.\n")
    more = resource(
        "b", "| tint | String | Possible values are: `green`, `red`, `blue`. |\n", "B.\n"
    )
    by = types(model({"enums.md": enums, "a.md": same, "b.md": more}))
    assert props(by["microsoft.graph.a"])["tint"].type == "microsoft.graph.color"
    assert props(by["microsoft.graph.b"])["tint"].enum == "microsoft.graph.bTint"
    assert [m.name for m in by["microsoft.graph.color"].members] == ["red", "green"]


def test_a_documented_enum_named_type_property_is_the_propertys() -> None:
    """`bTint` documented with other members than the list: still b.tint's enum."""
    enums = (
        "# Enums\n\nNamespace: microsoft.graph\n\n### bTint values\n\n| Member |\n|:--|\n"
        "| green |\n| red |\n| blue |\n"
    )
    b = resource("b", "| tint | String | Possible values are: `green`, `red`. |\n", "B.\n")
    by = types(model({"enums.md": enums, "b.md": b}))
    assert props(by["microsoft.graph.b"])["tint"].enum == "microsoft.graph.bTint"
    assert [m.name for m in by["microsoft.graph.bTint"].members] == ["green", "red", "blue"]


def test_a_synthesised_name_taken_by_a_structured_type_gets_its_own_name() -> None:
    b = resource("b", "| tint | String | Possible values are: `green`, `red`. |\n", "B.\n")
    other = resource("bTint", "| id | String | d |\n", "A structured type.\n")
    by = types(model({"b.md": b, "btint.md": other}))
    assert props(by["microsoft.graph.b"])["tint"].enum == "microsoft.graph.bTintValues"
    assert by["microsoft.graph.bTint"].kind != "enum"
    assert [m.name for m in by["microsoft.graph.bTintValues"].members] == ["green", "red"]


def test_two_properties_with_different_values_never_share_a_synthesised_enum() -> None:
    """`aB.c` and `a.bC` both spell `aBC`: the second gets a name of its own."""
    one = resource("aB", "| c | String | Possible values are: `x`, `y`. |\n", "1.\n")
    two = resource("a", "| bC | String | Possible values are: `p`, `q`. |\n", "2.\n")
    by = types(model({"ab.md": one, "a.md": two}))
    enums = {
        props(by["microsoft.graph.aB"])["c"].enum,
        props(by["microsoft.graph.a"])["bC"].enum,
    }
    assert len(enums) == 2 and None not in enums
    for name in enums:
        assert name is not None
        assert len(by[name].members) == 2
