"""Read stage: page text -> blocks (headings, tables, paragraphs, comments, code) with true lines.

Every expected line number below is counted by hand in the snippet (1-based).
"""

from __future__ import annotations

import textwrap

import pytest

from docgen.read import Code, Comment, Heading, Page, Paragraph, Table, read_text


def page(md: str, source: str = "x.md") -> Page:
    return read_text(textwrap.dedent(md), source)


def blocks_of(p: Page, kind: type) -> list:
    return [b for b in p.blocks if isinstance(b, kind)]


def test_front_matter_is_read_and_keeps_later_line_numbers() -> None:
    p = page("""\
        ---
        title: "driveItem resource type"
        Doc_Type: 'resourcePageType'
        ms.date: 09/10/2017
          indented: ignored
        ---

        # driveItem resource type
        """)
    # Keys are lower-cased, surrounding quotes dropped, indented lines skipped.
    assert dict(p.front_matter) == {
        "title": "driveItem resource type",
        "doc_type": "resourcePageType",
        "ms.date": "09/10/2017",
    }
    # Front matter must not turn into a (setext) heading; the H1 is on line 8.
    headings = blocks_of(p, Heading)
    assert [(h.level, h.text, h.line) for h in headings] == [(1, "driveItem resource type", 8)]


def test_page_without_front_matter() -> None:
    p = page("# x resource type\n\nSome text.\n")
    assert p.front_matter == ()
    assert [(type(b).__name__, b.line) for b in p.blocks] == [("Heading", 1), ("Paragraph", 3)]


def test_headings_levels_and_lines() -> None:
    p = page("""\
        # x resource type

        ## Properties

        ### status values

        #### kind value
        """)
    assert [(h.level, h.text, h.line) for h in blocks_of(p, Heading)] == [
        (1, "x resource type", 1),
        (2, "Properties", 3),
        (3, "status values", 5),
        (4, "kind value", 7),
    ]


def test_heading_with_no_break_space_and_zero_width_space() -> None:
    p = page("### riskLevel\u00a0values\n\n## Prop\u200berties\n")
    assert [h.text for h in blocks_of(p, Heading)] == ["riskLevel values", "Properties"]


def test_heading_links_are_kept() -> None:
    p = page("# [HTTP](#tab/http)\n")
    (h,) = blocks_of(p, Heading)
    assert h.text == "HTTP"
    assert [(link.text, link.href) for link in h.links] == [("HTTP", "#tab/http")]


def test_table_header_rows_and_row_lines() -> None:
    p = page("""\
        ## Properties

        | Property | Type | Description |
        |:--|:--|:--|
        | id | String | The identifier. |
        | size | Int64 | The size. |
        """)
    (t,) = blocks_of(p, Table)
    assert t.line == 3
    assert [c.text for c in t.header] == ["Property", "Type", "Description"]
    assert [r.line for r in t.rows] == [5, 6]
    assert [[c.text for c in r.cells] for r in t.rows] == [
        ["id", "String", "The identifier."],
        ["size", "Int64", "The size."],
    ]


def test_rows_without_leading_or_trailing_pipes_and_with_fewer_cells() -> None:
    p = page("""\
        | Property | Type | Description
        |:--|:--|:--
        | a | String | no trailing pipe
        b | Int32 | no leading pipe |
        | c | Boolean |
        | d |
        """)
    (t,) = blocks_of(p, Table)
    rows = [[c.text for c in r.cells] for r in t.rows]
    assert rows[0] == ["a", "String", "no trailing pipe"]
    assert rows[1] == ["b", "Int32", "no leading pipe"]
    # Missing cells are empty, never shifted or dropped.
    assert rows[2][:2] == ["c", "Boolean"] and all(c == "" for c in rows[2][2:])
    assert rows[3][0] == "d" and all(c == "" for c in rows[3][1:])
    assert [r.line for r in t.rows] == [3, 4, 5, 6]


def test_cell_text_strips_markup_and_keeps_segments() -> None:
    p = page("""\
        | Name | Type | Description |
        |:--|:--|:--|
        | **bold** | `Int32` | one<br>two&nbsp;three\tfour |
        """)
    (t,) = blocks_of(p, Table)
    name, typ, desc = t.rows[0].cells
    assert name.text == "bold"
    assert ("strong", "bold") in name.segments
    assert name.raw == "**bold**"
    assert typ.text == "Int32"
    assert typ.segments == (("code", "Int32"),)
    # <br>, NBSP and tabs all become single spaces.
    assert desc.text == "one two three four"


def test_html_entity_pipe_inside_a_cell() -> None:
    p = page("| Name | Type |\n|--|--|\n| a | x &#124; y |\n")
    (t,) = blocks_of(p, Table)
    assert [c.text for c in t.rows[0].cells] == ["a", "x | y"]


def test_cell_links_inline_relative_and_reference_style() -> None:
    p = page("""\
        | Property | Type | Description |
        |:--|:--|:--|
        | a | [driveItem](driveitem.md) | d |
        | b | [baseItem](../resources/baseitem.md) collection | d |
        | c | [itemReference][] | d |
        | d | [Identity][id-link] | d |
        | e | [x](enums.md#x-values) | d |

        [itemReference]: itemreference.md
        [id-link]: ../resources/identity.md
        """)
    (t,) = blocks_of(p, Table)
    links = [[(lk.text, lk.href) for lk in r.cells[1].links] for r in t.rows]
    assert links == [
        [("driveItem", "driveitem.md")],
        [("baseItem", "../resources/baseitem.md")],
        [("itemReference", "itemreference.md")],
        [("Identity", "../resources/identity.md")],
        [("x", "enums.md#x-values")],
    ]
    assert t.rows[1].cells[1].text == "baseItem collection"


def test_annotation_comment_spanning_blank_lines_and_json_fence() -> None:
    p = page("""\
        # x resource type

        <!-- {
          "blockType": "resource",

          "@odata.type": "microsoft.graph.x"
        } -->

        ``` json
        {"a": "String"}
        ```
        """)
    (c,) = blocks_of(p, Comment)
    assert c.line == 3
    assert '"blockType": "resource"' in c.body and '"@odata.type": "microsoft.graph.x"' in c.body
    (code,) = blocks_of(p, Code)
    assert code.line == 9
    assert code.info == "json"
    assert code.content == '{"a": "String"}\n'


def test_several_comments_in_one_html_block_get_their_own_lines() -> None:
    p = page("<!-- one -->\n<!--\ntwo\n-->\n")
    assert [(c.line, c.body.strip()) for c in blocks_of(p, Comment)] == [(1, "one"), (2, "two")]


def test_unclosed_comment_at_end_of_file() -> None:
    p = page('# x resource type\n\n<!-- {"blockType": "resource"\n')
    (c,) = blocks_of(p, Comment)
    assert c.line == 3
    assert '"blockType"' in c.body


def test_paragraph_text_links_and_raw() -> None:
    p = page("# t\n\nInherits from [entity](entity.md).\n")
    (para,) = blocks_of(p, Paragraph)
    assert para.line == 3
    assert para.text == "Inherits from entity."
    assert [(lk.text, lk.href) for lk in para.links] == [("entity", "entity.md")]
    assert para.raw == "Inherits from [entity](entity.md)."


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_old_mac_newlines_keep_lines(newline: str) -> None:
    text = newline.join(["# x resource type", "", "## Properties", ""])
    p = read_text(text, "x.md")
    assert [(h.text, h.line) for h in blocks_of(p, Heading)] == [
        ("x resource type", 1),
        ("Properties", 3),
    ]


def test_no_final_newline_and_line_count() -> None:
    p = page("# a\n\ntext")
    assert [b.line for b in p.blocks] == [1, 3]
    assert p.line_count == 3


def test_source_is_kept() -> None:
    assert page("# a\n", "sub/dir/a.md").source == "sub/dir/a.md"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n\n",
        "---\n",
        "---\ntitle: x\n",  # unclosed front matter
        "<!--",
        "|",
        "| a |\n|--|\n",
        "```json\n{",
        "# \ufffd\u202f\u2060\n",
        "    indented code\n",
        "\t|\ttabs\t|\n\t|--|\n",
        "<div>\n| a | b |\n</div>\n",
        "[x]: \n[x][]",
    ],
)
def test_never_raises(text: str) -> None:
    p = read_text(text, "x.md")
    assert p.source == "x.md"
