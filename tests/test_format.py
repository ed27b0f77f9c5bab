"""Format stage: black in-process, Python files only, clear errors."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from docgen import format as fmt
from docgen.cache import Cache
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


# --- the black cache (the pool is the pipeline's: tests/test_cache.py) -------

MODULES = {f"pkg/m{i}.py": f"def f{i}( a ):\n  return {{'k':a,'i':{i}}}\n" for i in range(40)}


def test_cached_results_equal_fresh_ones_and_are_reused(tmp_path: Path) -> None:
    fresh = format_sources(MODULES)
    cache = Cache(tmp_path / "c", b"test-secret-0123456789")
    assert format_sources(MODULES, cache=cache) == fresh
    assert cache.hits == 0
    assert format_sources(MODULES, cache=cache) == fresh
    assert cache.hits == len(MODULES)


def test_a_cache_hit_skips_black(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = Cache(tmp_path / "c", b"test-secret-0123456789")
    format_sources({"m.py": UGLY}, cache=cache)

    def no_black(item: tuple[str, str]) -> tuple[str, str]:
        raise AssertionError(f"black ran for {item[0]}")

    monkeypatch.setattr(fmt, "format_one", no_black)
    out = format_sources({"other/name.py": UGLY}, cache=cache)  # same text, other path
    assert "def f(a, b):" in out["other/name.py"]
    with pytest.raises(AssertionError, match="black ran for n.py"):
        format_sources({"n.py": UGLY + "\n"}, cache=cache)  # other text: a miss


def test_the_key_covers_black_version_and_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    key = fmt.cache_key(UGLY)
    assert fmt.cache_key(UGLY + " ") != key
    monkeypatch.setattr(fmt, "LINE_LENGTH", 100)
    fmt.cache_salt.cache_clear()
    try:
        assert fmt.cache_key(UGLY) != key
    finally:
        monkeypatch.undo()
        fmt.cache_salt.cache_clear()
    monkeypatch.setattr(fmt, "dist_version", lambda name: "0.0-other")
    fmt.cache_salt.cache_clear()
    try:
        assert fmt.cache_key(UGLY) != key
    finally:
        monkeypatch.undo()
        fmt.cache_salt.cache_clear()
    assert fmt.cache_key(UGLY) == key


def test_a_corrupt_cache_entry_is_formatted_again(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c", b"test-secret-0123456789")
    expected = format_sources({"m.py": UGLY})
    format_sources({"m.py": UGLY}, cache=cache)
    for entry in (tmp_path / "c" / fmt.CACHE_KIND).rglob("*"):
        if entry.is_file():
            entry.write_bytes(entry.read_bytes()[:-3] + b"xyz")
    assert format_sources({"m.py": UGLY}, cache=cache) == expected


@pytest.mark.parametrize(
    "source",
    [
        "x = 1\n\n\n",
        "class E:\n    A = 1\n\n",
        'def f():\n    """Doc."""\n\n\n\n',
        "x = (\n    1,\n)\n\n",
        "# only a comment\n\n\n",
        "\n\n",
        "x = 1  \n   \n\n",
    ],
)
def test_trimming_blank_lines_at_the_end_never_changes_blacks_output(source: str) -> None:
    import black

    assert format_sources({"m.py": source})["m.py"] == black.format_str(source, mode=fmt.mode())
