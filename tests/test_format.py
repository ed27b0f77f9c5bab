"""Format stage: black in-process, Python files only, clear errors."""

from __future__ import annotations

import ast

import pytest

from docgen.format import FormatError, format_sources

UGLY = """
import os
def f( a,b ):
  return {'x':a,'y':[b,b,]}
class C :
    '''Doc.'''
    x : int=1
def g(x: int) -> str:
    match x:
        case 1:
            return 'one'
        case _:
            return 'other'
"""


def test_python_files_are_formatted_without_changing_meaning() -> None:
    out = format_sources({"pkg/m.py": UGLY})
    formatted = out["pkg/m.py"]
    assert formatted != UGLY
    assert ast.dump(ast.parse(formatted)) == ast.dump(ast.parse(UGLY))
    assert "def f(a, b):" in formatted  # black's spacing, double quotes
    assert "'x'" not in formatted and '"x"' in formatted


def test_formatting_is_idempotent() -> None:
    once = format_sources({"m.py": UGLY})
    assert format_sources(once) == once


def test_other_files_are_left_alone() -> None:
    files = {
        "pkg/py.typed": "",
        "pkg/data.json": "{ 'not': python",
        "pkg/README.md": "def  f( ):\n",
        "pkg/m.py": "x=1\n",
    }
    out = format_sources(files)
    assert set(out) == set(files)
    for path in ("pkg/py.typed", "pkg/data.json", "pkg/README.md"):
        assert out[path] == files[path]
    assert out["pkg/m.py"] == "x = 1\n"


def test_invalid_python_raises_format_error_naming_the_file() -> None:
    with pytest.raises(FormatError) as info:
        format_sources({"pkg/ok.py": "x = 1\n", "pkg/broken.py": "def f(:\n    pass\n"})
    assert info.value.path == "pkg/broken.py"
    assert info.value.message
    assert "pkg/broken.py" in str(info.value)


def test_empty_input() -> None:
    assert format_sources({}) == {}
