"""Base and kind inference (docgen/infer.py and the prose rules in docgen/extract.py).

Each test writes small pages in the phrasings real Graph pages use; expected
values come from reading the pages: which type the sentence is about, and
which evidence is the stronger (annotation, prose, rows, derived-list, conventions).
"""

from __future__ import annotations

import textwrap

from docgen.extract import extract
from docgen.model import Model, TypeDecl
from docgen.read import read_text
from docgen.resolve import resolve


def decl(md: str, source: str = "x.md") -> TypeDecl:
    (t,) = [t for t in extract(read_text(textwrap.dedent(md), source)).types if not t.is_enum]
    return t


def model(pages: dict[str, str], root_entity: str = "microsoft.graph.entity") -> Model:
    return resolve(
        [extract(read_text(textwrap.dedent(md), src)) for src, md in pages.items()], root_entity
    )


def bases(m: Model) -> dict[str, str | None]:
    return {t.name: t.base and t.base.rpartition(".")[2] for t in m.types}


def kinds(m: Model) -> dict[str, str]:
    return {t.name: t.kind for t in m.types}


def codes(m: Model) -> list[str]:
    return [d.code for d in m.diagnostics]


TABLE = "| Property | Type | Description |\n|:--|:--|:--|\n| size | Int32 | d |\n"


def page(name: str, prose: str = "", rows: str = TABLE, title: str = "resource type") -> str:
    """A page without an annotation: title, prose, property table."""
    return f"# {name} {title}\n\nNamespace: microsoft.graph\n\n{prose}\n\n## Properties\n\n{rows}\n"


def keyed(name: str, prose: str = "", base: str = "") -> str:
    """An entity page: annotation with a key (and a base, if given), `id` listed."""
    base_field = f', "baseType": "microsoft.graph.{base}"' if base else ""
    return (
        f"# {name} resource type\n\n{prose}\n\n## Properties\n\n"
        "| Property | Type | Description |\n|:--|:--|:--|\n| id | String | d |\n\n"
        f'<!-- {{"blockType": "resource", "@odata.type": "microsoft.graph.{name}", '
        f'"keyProperty": "id"{base_field}}} -->\n'
    )


def base_refs(t: TypeDecl) -> list[tuple[str | None, str]]:
    return [(c.ref.name, c.rule) for c in t.bases]


def derived_names(t: TypeDecl) -> list[str | None]:
    return [c.ref.name for c in t.derived]


# --- prose the rules read (extract) ---


def test_inherited_from_x_entity() -> None:
    t = decl(
        page(
            "domainDnsMxRecord",
            "Represents a MX record. Inherited from [DomainDnsRecord](domaindnsrecord.md) entity.",
        )
    )
    assert base_refs(t) == [("DomainDnsRecord", "prose")]
    assert t.bases[0].line == 5


def test_this_type_will_inherit_from_x() -> None:
    t = decl(page("fancyItem", "This type will inherit from [baseItem](baseitem.md)."))
    assert base_refs(t) == [("baseItem", "prose")]


def test_this_creates_a_subclass_from_x() -> None:
    t = decl(
        page(
            "educationAssignmentPointsGrade",
            "Each submission has this object. This creates a subclass from "
            "[educationAssignmentGrade](educationassignmentgrade.md), which will add the who data.",
        )
    )
    assert base_refs(t) == [("educationAssignmentGrade", "prose")]


def test_the_derivative_of_x() -> None:
    t = decl(page("specialThing", "This resource is the derivative of [thing](thing.md)."))
    assert base_refs(t) == [("thing", "prose")]


def test_the_following_properties_are_inherited_from_x() -> None:
    t = decl(page("list", "The following properties are inherited from **[baseItem](bi.md)**."))
    assert base_refs(t) == [("baseItem", "prose")]


def test_a_title_that_says_derived_does_not_stop_the_prose() -> None:
    """`iosDerivedCredential...`: the word in the title is no "Derived types" section."""
    t = decl(
        page(
            "iosDerivedCredentialAuthenticationConfiguration",
            "Inherits from [deviceConfiguration](intune-shared-deviceconfiguration.md)",
        )
    )
    assert base_refs(t) == [("deviceConfiguration", "prose")]


def test_other_types_as_subject_are_not_the_page_base() -> None:
    t = decl(
        page(
            "conditionalAccessSessionControls",
            "Represents session controls. All the session controls inherit from "
            "[conditionalAccessSessionControl](conditionalaccesssessioncontrol.md).",
        )
    )
    assert t.bases == () and t.derived == ()


def test_types_that_inherit_from_this_type_are_derived_types() -> None:
    t = decl(
        page(
            "endpoint",
            "Represents an endpoint. The [participantEndpoint](p.md) and "
            "[serviceEndpoint](s.md) types inherit from this type.",
        )
    )
    assert t.bases == ()
    assert derived_names(t) == ["participantEndpoint", "serviceEndpoint"]


def test_subtype_of_this_type_names_derived_types_not_a_base() -> None:
    """The issue's example: the sentence is about the page's own type as a base."""
    t = decl(
        page(
            "answer",
            "The actual answer will be a subtype of this complex type, either [a](a.md) or "
            "[b](b.md).",
        )
    )
    assert t.bases == ()
    assert derived_names(t) == ["a", "b"]


def test_base_page_naming_derived_types_in_running_prose() -> None:
    named = decl(
        page(
            "bookingNamedEntity",
            "This is a base type for Microsoft Bookings entities that provide a display name, "
            "for example, [bookingBusiness](bb.md), [bookingPerson](bp.md), "
            "[bookingService](bs.md).",
        )
    )
    assert derived_names(named) == ["bookingBusiness", "bookingPerson", "bookingService"]
    person = decl(
        page(
            "bookingPerson",
            "This is a base type for a person in a business, which can be a "
            "[bookingCustomer](bc.md) or [bookingStaffMember](bsm.md).",
        )
    )
    assert derived_names(person) == ["bookingCustomer", "bookingStaffMember"]
    assert [c.rule for c in person.derived] == ["derived-list", "derived-list"]


def test_links_that_are_not_a_list_of_derived_types_are_not_taken() -> None:
    t = decl(
        page(
            "accessReviewApplyAction",
            "Represents a base class for apply actions in the [settings](settings.md) of a "
            "[definition](definition.md).",
        )
    )
    assert t.derived == ()


def test_base_stated_only_in_most_property_rows() -> None:
    rows = (
        "| Property | Type | Description |\n|:--|:--|:--|\n"
        "| id | String | Key. Inherited from [deviceConfiguration](dc.md) |\n"
        "| version | Int32 | Version. Inherited from [deviceConfiguration](dc.md) |\n"
        "| extra | String | Its own. |\n"
    )
    t = decl(page("newConfiguration", "A new configuration.", rows))
    assert base_refs(t) == [("deviceConfiguration", "rows")]
    assert t.bases[0].line == 11  # the first such row


def test_a_minority_of_rows_naming_a_base_is_no_claim() -> None:
    rows = (
        "| Property | Type | Description |\n|:--|:--|:--|\n"
        "| a | String | Inherited from [event](event.md) |\n"
        "| b | String | Inherited from [event](event.md) |\n"
        "| c | String | d |\n| d | String | d |\n| e | String | d |\n"
    )
    assert decl(page("troubleshootingEvent", "", rows)).bases == ()


def test_title_states_the_kind() -> None:
    assert decl(page("userSet", title="complex type")).kind_hint == "complex"
    assert decl(page("widget", title="entity type")).kind_hint == "entity"
    assert decl(page("widget")).kind_hint is None


def test_open_type_in_prose() -> None:
    assert decl(page("plannerAssignments", "Assignments. This type is an open type.")).open
    assert decl(page("planner", "It is an Open Type. It is part of the task.")).open
    assert decl(page("feedback", "This is an OData open type that holds tokens.")).open
    used_in = decl(page("plannerAssignment", "This type is used in the open type [x](x.md)."))
    assert not used_in.open


def test_a_page_whose_properties_section_says_none_declares_a_type() -> None:
    md = (
        "# targetResourceApp resource type\n\nNamespace: microsoft.graph\n\n"
        "Derived from the [targetResource](targetresource.md) resource.\n\n## Properties\nNone\n"
    )
    t = decl(md)
    assert t.qualified == "microsoft.graph.targetResourceApp"
    assert t.properties == ()
    assert base_refs(t) == [("targetResource", "prose")]
    overview = "# Use the API\n\nSome text.\n\n## Properties\nNone\n"
    assert extract(read_text(overview, "o.md")).types == ()
    prose = "# widget resource type\n\n## Properties\n\nNone of them is required.\n"
    assert extract(read_text(prose, "w.md")).types == ()


# --- precedence of evidence (resolve) ---

ENTITY = keyed("entity")


def test_subtype_of_this_type_builds_without_a_cycle() -> None:
    """The issue's tree: the base page names a and b; a's page names the base."""
    m = model(
        {
            "answer.md": page(
                "answer",
                "The actual answer will be a subtype of this complex type, either [a](a.md) or "
                "[b](b.md).",
                title="complex type",
            ),
            "a.md": page("a", "Inherits from [answer](answer.md)."),
            "b.md": page("b", "A b answer."),
        }
    )
    assert not m.has_errors
    assert bases(m) == {"a": "answer", "answer": None, "b": "answer"}
    assert "DG504" not in codes(m)


def test_a_cycle_loses_its_weakest_claim_with_a_warning_naming_both_pages() -> None:
    m = model(
        {
            # a says it derives from b (prose) and names b as its derived type (weaker).
            "a.md": page("a", "Inherits from [b](b.md). This is the base type for [b](b.md)."),
            "b.md": page("b", "A b."),
        }
    )
    assert not m.has_errors
    assert bases(m) == {"a": "b", "b": None}
    (d,) = [d for d in m.diagnostics if d.code == "DG504"]
    assert d.severity == "warning"
    assert "a.md:5 (prose)" in d.message and "a.md:5 (derived-list)" in d.message
    assert "dropped the weakest claim" in d.message


def test_two_pages_contradicting_each_other_warn_and_the_page_own_claim_wins() -> None:
    m = model(
        {
            "x.md": page("x", "Inherits from [a](a.md)."),
            "a.md": page("a", "An a."),
            "b.md": page("b", "This is the base type for [x](x.md)."),
        }
    )
    assert bases(m)["x"] == "a"
    (d,) = [d for d in m.diagnostics if d.code == "DG506"]
    assert d.severity == "warning"
    assert (d.path, d.line) == ("b.md", 5)
    assert "x.md:5 (prose) says microsoft.graph.a" in d.message
    assert "b.md:5 (derived-list) says microsoft.graph.b" in d.message
    assert "keeping microsoft.graph.a" in d.message


def test_a_derived_list_fills_a_gap_and_refines_an_ancestor_without_warning() -> None:
    m = model(
        {
            "entity.md": ENTITY,
            "family.md": keyed("family", "Derived types: [x](x.md) and [y](y.md).", base="entity"),
            "x.md": keyed("x", base="entity"),  # names the root: the family refines it
            "y.md": page("y", "A y."),  # names nothing: the list fills the gap
        }
    )
    assert bases(m) == {"entity": None, "family": "entity", "x": "family", "y": "family"}
    assert not [c for c in codes(m) if c in ("DG503", "DG506")]
    assert kinds(m)["y"] == "entity"  # from its base


def test_annotation_beats_prose_when_they_contradict() -> None:
    md = keyed("x", "Inherits from [b](b.md).", base="a")
    m = model({"x.md": md, "a.md": page("a"), "b.md": page("b")})
    assert bases(m)["x"] == "a"
    (d,) = [d for d in m.diagnostics if d.code == "DG503"]
    assert "keeping microsoft.graph.a" in d.message


def test_undeclared_base_warns_and_the_next_evidence_applies() -> None:
    m = model(
        {
            "entity.md": ENTITY,
            "x.md": keyed("x", "Inherits from [ghost](ghost.md)."),
        }
    )
    assert bases(m)["x"] == "entity"  # the convention, the ghost ignored
    (d,) = [d for d in m.diagnostics if d.code == "DG502"]
    assert d.severity == "warning" and "ignored" in d.message and d.path == "x.md"


# --- conventions ---


def family(n: int) -> dict[str, str]:
    """A keyed base `deviceConfiguration` with n keyed subtypes: a big family, not the root."""
    pages = {"deviceConfiguration.md": keyed("deviceConfiguration", base="entity")}
    for i in range(n):
        pages[f"sub{i}.md"] = keyed(f"sub{i}", base="deviceConfiguration")
    return pages


def test_root_entity_is_a_convention_not_a_vote() -> None:
    """The family with the most children does not become everyone's base."""
    m = model({"entity.md": ENTITY, "lonely.md": keyed("lonely"), **family(6)})
    assert bases(m)["lonely"] == "entity"
    assert bases(m)["sub3"] == "deviceConfiguration"
    assert bases(m)["entity"] is None


def test_root_entity_is_configurable_and_absent_root_gives_no_base() -> None:
    pages = {"thing.md": keyed("thing"), "lonely.md": keyed("lonely")}
    assert bases(model(pages, "microsoft.graph.thing"))["lonely"] == "thing"
    assert bases(model(pages)) == {"lonely": None, "thing": None}  # no entity page


def test_complex_pages_get_no_root() -> None:
    m = model({"entity.md": ENTITY, "value.md": page("value")})
    assert (kinds(m)["value"], bases(m)["value"]) == ("complex", None)


def test_title_kind_beats_the_navigation_target_convention() -> None:
    holder = keyed("holder", base="entity").replace(
        "| id | String | d |\n",
        "| id | String | d |\n\n## Relationships\n\n| Relationship | Type | Description |\n"
        "|:--|:--|:--|\n| a | [a](a.md) | d |\n| b | [b](b.md) | d |\n",
    )
    m = model(
        {
            "entity.md": ENTITY,
            "holder.md": holder,
            "a.md": page("a", title="complex type"),
            "b.md": page("b"),
        }
    )
    assert kinds(m)["a"] == "complex" and bases(m)["a"] is None
    assert kinds(m)["b"] == "entity" and bases(m)["b"] == "entity"


def test_title_entity_type_and_the_base_of_an_entity_are_entities() -> None:
    m = model(
        {
            "entity.md": ENTITY,
            "widget.md": page("widget", title="entity type"),
            "named.md": page("named", "This is a base type for [business](business.md)."),
            "business.md": keyed("business"),
        }
    )
    assert kinds(m)["widget"] == "entity" and bases(m)["widget"] == "entity"
    assert bases(m)["business"] == "named"
    assert kinds(m)["named"] == "entity" and bases(m)["named"] == "entity"
