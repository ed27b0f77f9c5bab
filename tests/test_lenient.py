"""Lenient helpers: every allowance for irregular pages, one at a time."""

from __future__ import annotations

import pytest

from docgen import lenient

# --- source text ---


def test_normalize_source_unifies_newlines_and_keeps_line_count() -> None:
    text = "a\r\nb\rc\nd"
    out = lenient.normalize_source(text)
    assert out == "a\nb\nc\nd"


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\u2007", "\u2009", "\u3000"])
def test_normalize_source_turns_odd_spaces_into_spaces(space: str) -> None:
    assert lenient.normalize_source(f"riskLevel{space}values") == "riskLevel values"


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
def test_normalize_source_drops_invisible_characters(invisible: str) -> None:
    assert lenient.normalize_source(f"{invisible}drive{invisible}Item") == "driveItem"


def test_normalize_source_leaves_tabs_and_replacement_characters() -> None:
    assert lenient.normalize_source("a\tb\ufffd") == "a\tb\ufffd"


# --- front matter ---

FRONT = "---\ntitle: x\ndoc_type: 'resourcePageType'\n---\n# x resource type\n"


def test_blank_front_matter_keeps_every_line() -> None:
    out = lenient.blank_front_matter(FRONT)
    assert out.count("\n") == FRONT.count("\n")
    lines = out.split("\n")
    assert lines[:4] == ["", "", "", ""]
    assert lines[4] == "# x resource type"


def test_blank_front_matter_with_dots_terminator() -> None:
    out = lenient.blank_front_matter("---\na: 1\n...\n# t\n")
    assert out.split("\n")[3] == "# t"
    assert "a: 1" not in out


@pytest.mark.parametrize(
    "text",
    [
        "# no front matter\n---\n",
        "---\ntitle: never closed\n# heading\n",
        "",
    ],
)
def test_blank_front_matter_leaves_other_text_alone(text: str) -> None:
    assert lenient.blank_front_matter(text) == text


def test_front_matter_pairs() -> None:
    text = (
        "---\n"
        'Title: "quoted"\n'
        "author: 'single'\n"
        'ms.prod: ""\n'
        "description: has: colons\n"
        "  nested: skipped\n"
        "no colon here\n"
        "---\n"
        "key: after front matter\n"
    )
    assert lenient.front_matter(text) == {
        "title": "quoted",
        "author": "single",
        "ms.prod": "",
        "description": "has: colons",
    }


def test_front_matter_absent() -> None:
    assert lenient.front_matter("# x\ntitle: y\n") == {}


# --- cells ---


def test_clean_cell_collapses_whitespace_tabs_and_smart_quotes() -> None:
    assert lenient.clean_cell("  a\t\tb \n c  ") == "a b c"
    assert lenient.clean_cell("\u201cquoted\u201d \u2018x\u2019") == "\"quoted\" 'x'"


# --- JSON ---


def test_loads_strict_json_repairs_nothing() -> None:
    got = lenient.loads('{"a": "String", "b": [1, 2]}')
    assert got.value == {"a": "String", "b": [1, 2]}
    assert got.repaired == ()
    assert got.error is None


@pytest.mark.parametrize(
    "text",
    [
        '{"a": "String", "b": "Int32",}',
        '{\n  "a": "String",\n  "b": "Int32",\n}',
        '{"a": "String", "b": "Int32" , \n\n }',
    ],
)
def test_loads_trailing_commas(text: str) -> None:
    got = lenient.loads(text)
    assert got.value == {"a": "String", "b": "Int32"}
    assert "trailing comma" in got.repaired
    assert got.error is None


def test_loads_trailing_comma_in_a_nested_list() -> None:
    got = lenient.loads('{"optionalProperties": ["a", "b",], "x": {"y": 1,},}')
    assert got.value == {"optionalProperties": ["a", "b"], "x": {"y": 1}}
    assert got.repaired


def test_loads_comments() -> None:
    text = '{\n  // a line comment\n  "a": "String", /* block */\n  "b": "Int32" // trailing\n}'
    got = lenient.loads(text)
    assert got.value == {"a": "String", "b": "Int32"}
    assert "comments" in got.repaired


def test_loads_keeps_comment_like_text_inside_strings() -> None:
    text = '{"url": "https://graph.microsoft.com/v1.0", "glob": "/* not a comment */",}'
    got = lenient.loads(text)
    assert got.value == {
        "url": "https://graph.microsoft.com/v1.0",
        "glob": "/* not a comment */",
    }


def test_loads_ellipsis_placeholders() -> None:
    got = lenient.loads('{\n  "a": "String",\n  ...\n}')
    assert got.value == {"a": "String"}
    assert "ellipsis" in got.repaired


def test_loads_smart_quotes() -> None:
    got = lenient.loads("{\u201ca\u201d: \u201cString\u201d}")
    assert got.value == {"a": "String"}
    assert "smart quotes" in got.repaired


def test_loads_raw_tabs_and_line_breaks_inside_strings() -> None:
    got = lenient.loads('{"content": "line one\n\tline two", "n": 1,}')
    assert got.value == {"content": "line one\n\tline two", "n": 1}
    assert got.repaired == ("trailing comma", "control characters in strings")


def test_loads_duplicate_key_is_reported_and_the_last_wins() -> None:
    got = lenient.loads('{"@odata.type": "microsoft.graph.a", "@odata.type": "microsoft.graph.b"}')
    assert got.value == {"@odata.type": "microsoft.graph.b"}
    assert any("@odata.type" in r and "duplicate" in r for r in got.repaired)


def test_loads_gives_up_with_an_error_not_an_exception() -> None:
    got = lenient.loads('{"a": "String" "b": }')
    assert got.value is None
    assert got.error


@pytest.mark.parametrize("text", ["", "{", "}", "[", "...", "{{{{", '"', "\\"])
def test_loads_never_raises(text: str) -> None:
    got = lenient.loads(text)
    assert got.value is None or got.error is None


# --- comments and annotation spans ---


def test_comment_bodies_with_line_offsets() -> None:
    html = '<!-- one -->\n<p>x</p>\n<!--\n{"a": 1}\n-->'
    assert lenient.comment_bodies(html) == [(0, " one "), (2, '\n{"a": 1}\n')]


def test_comment_bodies_unclosed_comment_runs_to_the_end() -> None:
    assert lenient.comment_bodies("<!-- open\nmore") == [(0, " open\nmore")]


def test_json_object_span_balances_nested_braces() -> None:
    body = (
        ' {"blockType": "resource", "@odata.annotations": [{"capabilities": {"x": {}}}],'
        ' "@odata.type": "microsoft.graph.x"} trailing text } '
    )
    span = lenient.json_object_span(body)
    assert span == (
        '{"blockType": "resource", "@odata.annotations": [{"capabilities": {"x": {}}}],'
        ' "@odata.type": "microsoft.graph.x"}'
    )


def test_json_object_span_ignores_braces_inside_strings() -> None:
    body = '{"description": "a } b { c", "x": "\\"}"} after'
    assert lenient.json_object_span(body) == '{"description": "a } b { c", "x": "\\"}"}'


def test_json_object_span_without_braces() -> None:
    assert lenient.json_object_span(" just a comment ") is None


def test_json_object_span_unbalanced_returns_what_there_is() -> None:
    span = lenient.json_object_span('{"a": {"b": 1}')
    assert span is not None and span.startswith('{"a": {"b": 1}')
