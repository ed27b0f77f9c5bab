"""The typed, frozen data that flows between pipeline stages.

Stages never share mutable state: each takes these values and returns new ones,
so any stage can be cached, tested or replaced on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]
Kind = Literal["entity", "complex", "enum"]
# The entity that base-less entity pages derive from unless `[tool.docgen] root-entity`
# names another (docgen/infer.py).
DEFAULT_ROOT_ENTITY = "microsoft.graph.entity"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem in the docs, located precisely enough for an editor to jump to."""

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str

    def render(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity} {self.code} {self.message}"


# --- extract stage output: what one page declares, references still unresolved ---


@dataclass(frozen=True)
class TypeRef:
    """A type as a page writes it, before linking.

    `name` is the best candidate name (``String``, ``driveItem``,
    ``microsoft.graph.callRecords.session``); `target` is the link's file
    name (``driveitem.md``) when the cell links somewhere, and `anchor` its
    fragment (``enums.md#x-values`` gives ``x-values``).
    """

    text: str
    name: str | None
    target: str | None = None
    anchor: str | None = None
    collection: bool = False


@dataclass(frozen=True)
class MemberDecl:
    name: str
    value: int | None
    description: str
    line: int


@dataclass(frozen=True)
class PropertyDecl:
    name: str
    type: TypeRef
    navigation: bool
    description: str
    line: int
    col: int = 1
    # Values a `String` property may take, from an enum table or a
    # "Possible values are" list; `values_name` is a heading's enum name.
    values: tuple[str, ...] = ()
    value_descriptions: tuple[str, ...] = ()  # parallel to `values`, from an enum table
    values_name: str | None = None
    from_json: bool = False
    source: str = ""  # the page the row is on (a merged type spans several pages)
    # The JSON representation's value where it joins values with commas
    # (`"apps,tabs"`): a flags enum's way of writing several members.
    example: str = ""


@dataclass(frozen=True)
class Claim:
    """A page's statement that one type derives from another: what, how and where it said so.

    `rule` names the extract rule that read it (`annotation`, `prose`, `rows`,
    `derived-list`); resolve weighs claims by it (docgen/infer.py).
    """

    ref: TypeRef
    rule: str
    source: str
    line: int


@dataclass(frozen=True)
class TypeDecl:
    name: str
    namespace: str
    is_enum: bool
    source: str
    line: int
    description: str = ""
    bases: tuple[Claim, ...] = ()
    key: tuple[str, ...] | None = None
    abstract: bool = False
    open: bool = False
    flags: bool = False
    properties: tuple[PropertyDecl, ...] = ()
    members: tuple[MemberDecl, ...] = ()
    # Types the page says derive from this one ("Derived types", "base type for").
    derived: tuple[Claim, ...] = ()
    # The kind the page's title states ("x complex type", "x entity type"), if any.
    kind_hint: Kind | None = None
    # The page lists API operations on the type: only entities are addressable.
    addressable: bool = False
    # An enum docgen made and named from a String property's listed values:
    # (the owner type's qualified name, the property's wire name). Resolve sets it.
    implied_by: tuple[str, str] | None = None
    # False where the page has no "Namespace:" line and the name is not
    # qualified: resolve may then place an enum with the types that use it.
    namespace_stated: bool = True

    @property
    def qualified(self) -> str:
        return f"{self.namespace}.{self.name}"


@dataclass(frozen=True)
class MethodDecl:
    """A row of a Methods (or Functions) table: what an API returns, and what it does.

    A type the docs never describe is at least described by what returns it.
    """

    name: str
    returns: TypeRef
    description: str
    line: int


@dataclass(frozen=True)
class PageDecls:
    """Everything one page declares, plus the page's own diagnostics."""

    source: str
    title: str | None
    types: tuple[TypeDecl, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    methods: tuple[MethodDecl, ...] = ()


# --- resolve stage output: one linked model with Python names ---


@dataclass(frozen=True)
class Property:
    name: str  # wire name
    py_name: str  # unique, valid Python field name
    type: str  # qualified: "Edm.String" or "microsoft.graph.driveItem"
    collection: bool
    navigation: bool
    nullable: bool | None
    read_only: bool
    description: str
    line: int
    # For a property the docs type as `String` but whose values they list:
    # the enum those values imply. `type` keeps the declared wire type.
    enum: str | None = None
    source: str = ""  # the page `line` is on (a merged type spans pages); "" = the type's


@dataclass(frozen=True)
class EnumMember:
    name: str  # wire value
    py_name: str  # UPPER_SNAKE, unique within the enum
    value: int | None
    description: str


@dataclass(frozen=True)
class TypeDef:
    name: str
    namespace: str
    kind: Kind
    source: str
    line: int
    description: str
    py_class: str  # PascalCase, unique within its module's package
    py_module: str  # dotted module path relative to the package: "call_records.call_record"
    base: str | None = None  # qualified name of the base type
    abstract: bool = False
    open: bool = False
    key: tuple[str, ...] = ()
    flags: bool = False
    properties: tuple[Property, ...] = ()
    members: tuple[EnumMember, ...] = ()
    # An enum no page declares, named `<type><Property>` after the String property
    # whose values it lists: (the owner's qualified name, the property's wire name).
    implied_by: tuple[str, str] | None = None

    @property
    def qualified(self) -> str:
        return f"{self.namespace}.{self.name}"


@dataclass(frozen=True)
class Model:
    """The resolved model: types sorted by qualified name, lower-cased."""

    types: tuple[TypeDef, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=())

    def by_qualified(self) -> dict[str, TypeDef]:
        return {t.qualified: t for t in self.types}

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)
