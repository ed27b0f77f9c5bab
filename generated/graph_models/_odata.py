"""Graph's collection pages (`page_from_dict`, `Page`) and error bodies (`ODataError`)."""

from __future__ import annotations

import collections.abc
import dataclasses
import datetime
import typing

from ._runtime import (
    _CLASSES,  # pyright: ignore[reportPrivateUsage]
    Model,
    ValidationError,
    _at,  # pyright: ignore[reportPrivateUsage]
    model_for,
)

M = typing.TypeVar("M", bound=Model)


@dataclasses.dataclass(kw_only=True, repr=False)
class ErrorDetails(Model):
    """One entry of an error's `details`."""

    code: str | None = None
    message: str | None = None
    target: str | None = None

    _odata_type_ = "odata.errorDetails"
    _fields_ = """
        code code Edm.String
        message message Edm.String
        target target Edm.String
    """


@dataclasses.dataclass(kw_only=True, repr=False)
class InnerError(Model):
    """An error's `innerError`: the request's ids and time (other keys in additional_data)."""

    request_id: str | None = None
    client_request_id: str | None = None
    date: datetime.datetime | None = None

    _odata_type_ = "odata.innerError"
    _fields_ = """
        request-id request_id Edm.String
        client-request-id client_request_id Edm.String
        date date Edm.DateTimeOffset
    """


@dataclasses.dataclass(kw_only=True, repr=False)
class MainError(Model):
    """The `error` object of Graph's error body."""

    code: str | None = None
    message: str | None = None
    target: str | None = None
    details: list[ErrorDetails] | None = None
    inner_error: InnerError | None = None

    _odata_type_ = "odata.mainError"
    _fields_ = """
        code code Edm.String
        message message Edm.String
        target target Edm.String
        details details Collection(odata.errorDetails)
        innerError inner_error odata.innerError
    """


@dataclasses.dataclass(kw_only=True, repr=False)
class ODataError(Model):
    """Graph's error body, `{"error": {"code": ..., "message": ..., "innerError": ...}}`."""

    error: MainError | None = None

    _odata_type_ = "odata.error"
    _fields_ = """
        error error odata.mainError
    """

    @property
    def code(self) -> str | None:
        """`error.code`, or None."""
        return self.error.code if self.error is not None else None

    @property
    def message(self) -> str | None:
        """`error.message`, or None."""
        return self.error.message if self.error is not None else None


_CLASSES.update(
    {
        "odata.errorDetails": ErrorDetails,
        "odata.innerError": InnerError,
        "odata.mainError": MainError,
        "odata.error": ODataError,
    }
)


def _new_list() -> list[typing.Any]:
    return []


def _new_dict() -> dict[str, typing.Any]:
    return {}


# The annotations of a page of results, in the order Graph writes them.
_PAGE_KEYS = {
    "@odata.count": ("count", int),
    "@odata.nextLink": ("next_link", str),
    "@odata.deltaLink": ("delta_link", str),
}


@dataclasses.dataclass(kw_only=True)
class Page(typing.Generic[M]):
    """One page of a collection response: its items and where the next page is.

    `additional_data` keeps the body's other keys (`@odata.context`) and any
    annotation whose value did not fit, as read.
    """

    value: list[M] = dataclasses.field(default_factory=_new_list)
    next_link: str | None = None
    delta_link: str | None = None
    count: int | None = None
    additional_data: dict[str, typing.Any] = dataclasses.field(
        default_factory=_new_dict
    )

    def to_dict(self) -> dict[str, typing.Any]:
        """The JSON body again; an item of a class derived from the others carries `@odata.type`."""
        out: dict[str, typing.Any] = {}
        for key, (name, _) in _PAGE_KEYS.items():
            if getattr(self, name) is not None:
                out[key] = getattr(self, name)
        base = self.__dict__.get("_item_type_") or _common_base(self.value)
        out["value"] = [
            item.to_dict(odata_type=type(item) is not base) for item in self.value
        ]
        for key, raw in self.additional_data.items():
            out.setdefault(key, raw)
        return out

    @property
    def problems(self) -> list[ValidationError]:
        """What did not fit, in the items (`value[2].x`) and the page's annotations."""
        out: list[ValidationError] = list(self.__dict__.get("_problems_", ()))
        for i, item in enumerate(self.value):
            for err in item.problems:
                path = _at(f"value[{i}]", err.path)
                out.append(
                    ValidationError(err.cls, err.field, err.value, err.expected, path)
                )
        return out


def _common_base(items: list[M]) -> type[Model] | None:
    """The class every item's class derives from that is nearest to them all."""
    if not items:
        return None
    for candidate in type(items[0]).__mro__:
        if all(isinstance(x, candidate) for x in items):
            return candidate
    return None


@typing.overload
def page_from_dict(
    data: typing.Mapping[str, typing.Any], type: type[M], *, strict: bool = False
) -> Page[M]: ...


@typing.overload
def page_from_dict(
    data: typing.Mapping[str, typing.Any], type: str, *, strict: bool = False
) -> Page[Model]: ...


def page_from_dict(
    data: typing.Mapping[str, typing.Any],
    type: type[Model] | str,
    *,
    strict: bool = False,
) -> Page[typing.Any]:
    """A page of a `Collection(type)` response: `value`, `@odata.nextLink`, ...

    `type` is the items' model class or qualified type name; each item
    becomes the subclass its `@odata.type` names. Items read as `from_dict`
    reads them (`strict` likewise); a body that is not an object with a
    `value` list, or an item that is not an object, raises ValidationError.
    """
    cls = model_for(type) if isinstance(type, str) else type
    if not isinstance(typing.cast(object, data), collections.abc.Mapping):
        raise ValidationError("Page", None, data, "a JSON object")
    found: object = data.get("value")
    if not isinstance(found, list):
        raise ValidationError("Page", "value", found, "a list of objects", "value")
    items = typing.cast("list[object]", found)
    page: Page[typing.Any] = Page()
    problems: list[ValidationError] = []
    for key, raw in data.items():
        spec = _PAGE_KEYS.get(key)
        if key == "value":
            continue
        if spec is not None and isinstance(raw, spec[1]) and not isinstance(raw, bool):
            setattr(page, spec[0], raw)
            continue
        if spec is not None and raw is not None:
            err = ValidationError("Page", spec[0], raw, spec[1].__name__, spec[0])
            if strict:
                raise err
            problems.append(err)
        page.additional_data[key] = raw
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise ValidationError(
                cls.__name__, None, item, "a JSON object", f"value[{i}]"
            )
        row = typing.cast("dict[str, typing.Any]", item)
        try:
            page.value.append(cls.from_dict(row, strict=strict))
        except ValidationError as err:
            err.path = _at(f"value[{i}]", err.path)
            raise
    page.__dict__["_item_type_"] = cls  # items of a derived class carry @odata.type
    if problems:
        page.__dict__["_problems_"] = problems
    return page
