"""The format stage's skeleton path gives exactly what plain black gives."""

from __future__ import annotations

from pathlib import Path

import black
import pytest

from docgen.format import FormatError, format_one, mode, skeleton, trim_end
from docgen.pipeline import load_model
from docgen.render import render

REPO_ROOT = Path(__file__).resolve().parent.parent

MODULE = '''from __future__ import annotations

import dataclasses

from ._runtime import Model

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .a import A
    from .b import B
    from .c import C
    from .d import D


@dataclasses.dataclass(kw_only=True, repr=False)
class Thing(Model):
    """A thing."""

    a: A | None = None
    """First."""

    b: B | None = None
    """Second \\\\ with a backslash, a \\" quote and \\xe9."""

    c: list[C | str] | None = None
    """Third,
    on two lines.
    """

    d: D | None = None
    e: str | None = None
    """Last."""

    _odata_type_ = "microsoft.graph.thing"
'''


def plain_black(text: str) -> str:
    return black.format_str(trim_end(text), mode=mode())


def test_the_sample_is_black_formatted_and_its_middle_lines_are_left_out() -> None:
    assert plain_black(MODULE) == MODULE
    short = skeleton(MODULE)
    assert short is not None
    assert "from .a import A" in short and "from .d import D" in short
    assert "from .b import B" not in short and "from .c import C" not in short
    assert "a: A | None = None" in short and "e: str | None = None" in short
    assert "Second" not in short and "d: D" not in short
    assert format_one(("m.py", MODULE)) == ("m.py", MODULE)


# Each edit puts something black changes into a line the skeleton leaves out
# (or makes it no longer a plain line): the result must still be black's.
EDITS = [
    ("b: B | None = None", "b: B|None = None"),
    ("b: B | None = None", "b : B | None = None"),
    ("b: B | None = None", "b: B | None = None  "),
    ("and \\xe9", "and \\xE9"),
    ('"""Third,\n    on two lines.\n    """', "'Third'"),
    ("    c: list", "\n    c: list"),
    ("    from .b import B", "    from .b import (B)"),
    ("    from .c import C", "    from .c import C as  C"),
    ("    d: D | None = None", "    d: D | None = None;"),
    ("    d: D | None = None", "    d: D | None = None  # note"),
    ("Third,\n    on two lines.", "Third,\n      on two lines."),
    ("    b: B | None = None", "    b: B | None = None\n"),
    ("    b: B | None = None", "    b: B | None = " + "x" * 80),
]


@pytest.mark.parametrize(("old", "new"), EDITS)
def test_an_edit_in_a_left_out_line_gives_blacks_result(old: str, new: str) -> None:
    text = MODULE.replace(old, new, 1)
    assert text != MODULE
    assert format_one(("m.py", text))[1] == plain_black(text)


@pytest.mark.parametrize(
    ("old", "new"),
    [("    c: list", "    class: list"), ("    from .c import C", "    from .c import if")],
)
def test_a_keyword_in_a_left_out_line_is_still_an_error(old: str, new: str) -> None:
    text = MODULE.replace(old, new, 1)
    with pytest.raises(Exception):  # noqa: B017, PT011 - black's own error types vary
        plain_black(text)
    with pytest.raises(FormatError):
        format_one(("m.py", text))


def test_lines_inside_a_string_are_never_left_out() -> None:
    inner = "\n    x: int = None\n    y: int = None\n    z: int = None\n    "
    text = MODULE.replace('"""A thing."""', '"""A thing.\n' + inner + '"""')
    short = skeleton(text)
    assert short is not None and "y: int = None" in short
    assert format_one(("m.py", text))[1] == plain_black(text)


def same_as_black(files: dict[str, str]) -> tuple[int, list[str]]:
    """(modules the skeleton shortened, paths where the result differs from black's)."""
    shortened = 0
    differ = []
    for path, text in sorted(files.items()):
        if not path.endswith(".py"):
            continue
        shortened += skeleton(trim_end(text)) is not None
        if format_one((path, text))[1] != plain_black(text):
            differ.append(path)
    return shortened, differ


def test_docs_src_formats_exactly_as_black_does() -> None:
    files = render(load_model([REPO_ROOT / "docs-src"]), "graph_models")
    shortened, differ = same_as_black(files)
    assert differ == []
    assert shortened > 10


def test_corpus_modules_format_exactly_as_black_does(corpus_v1_resources: Path) -> None:
    files = render(load_model([corpus_v1_resources]), "graph_models")
    sample = {p: t for n, (p, t) in enumerate(sorted(files.items())) if n % 8 == 0}
    for name in ("__init__.py", "_registry.py", "_runtime.py", "drive_item.py", "user.py"):
        sample[f"graph_models/{name}"] = files[f"graph_models/{name}"]
    shortened, differ = same_as_black(sample)
    assert differ == []
    assert shortened > 100


TABLE = """TYPES: dict[str, tuple[str, str]] = {
    "a": ("a", "A"),
    "b": ("b", "B"),
    "c": ("c", "C"),
    "d": ("d", "D"),
}
NAMES: list[str] = [
    "a",
    "b",
    "c",
    "d",
]
"""


def test_collection_items_are_left_out_and_an_edited_item_gives_blacks_result() -> None:
    assert plain_black(TABLE) == TABLE
    short = skeleton(TABLE)
    assert short is not None and '"b"' not in short and '"c"' not in short
    assert format_one(("t.py", TABLE))[1] == TABLE
    for old, new in [
        ('"b": ("b", "B")', "'b': ('b', 'B')"),
        ('"b": ("b", "B"),', '"b": ("b", "B"),\n'),
        ('    "c",', '    "c" ,'),
        ('    "d",\n]', '    "d"\n]'),
    ]:
        text = TABLE.replace(old, new, 1)
        assert text != TABLE
        assert format_one(("t.py", text))[1] == plain_black(text), (old, new)
