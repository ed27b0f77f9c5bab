"""Hostile input (issue 6): every page in `tests/hostile/` gives either a package
whose modules all compile and import, with the sanitized names asserted here,
or exit 1 with a named diagnostic; never a traceback, never a file outside the
output folder.

Each page is built on its own (so one page's names cannot mask another's),
then the whole folder goes through the command line.
"""

from __future__ import annotations

import ast
import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from buildcheck import Outcome, build_and_import, files_under, imported, write_docs
from cli_run import docgen as run_cli
from conftest import unreadable_page

from docgen import extract
from docgen.cli import main

HOSTILE = Path(__file__).resolve().parent / "hostile"
REPO_ROOT = HOSTILE.parent.parent


def build(tmp_path: Path, *pages: str) -> Outcome:
    docs = tmp_path / "docs"
    docs.mkdir()
    for page in pages:
        shutil.copy(HOSTILE / page, docs / page)
    return build_and_import(docs, tmp_path / "work")


def field_names(cls: type) -> list[str]:
    """The documented fields, less the runtime's `additional_data` (unknown keys)."""
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    return [f.name for f in fields if f.name != "additional_data"]


def wire_to_field(outcome: Outcome, type_name: str) -> dict[str, str]:
    t = next(t for t in outcome.model.types if t.name == type_name)
    return {p.name: p.py_name for p in t.properties}


def test_the_hostile_set_has_at_least_twenty_pages() -> None:
    assert len(list(HOSTILE.glob("*.md"))) >= 20


# --- names ---


def test_keywords_get_a_trailing_underscore(tmp_path: Path) -> None:
    out = build(tmp_path, "keywords.md")
    expected = {
        "from": "from_",
        "class": "class_",
        "import": "import_",
        "None": "none",
        "True": "true",
        "lambda": "lambda_",
        "async": "async_",
        "match": "match",  # a soft keyword is a valid field name
        "self": "self_",
    }
    assert wire_to_field(out, "keywordHolder") == expected
    with imported(out) as mod:
        cls = mod("keyword_holder").KeywordHolder
        assert field_names(cls) == list(expected.values())
        assert cls(from_="a", class_="b").from_ == "a"
    assert out.model.diagnostics == ()


def test_builtins_and_generated_names_are_not_shadowed(tmp_path: Path) -> None:
    out = build(tmp_path, "builtins.md")
    assert wire_to_field(out, "builtinHolder") == {
        "id": "id",
        "type": "type",
        "format": "format",
        "list": "list_",  # the annotations use `list[...]`
        "str": "str_",
        "datetime": "datetime_",
        "dataclasses": "dataclasses_",
        "typing": "typing_",
        "fields": "fields_",
        "from_dict": "from_dict_",
    }
    with imported(out) as mod:
        module = mod("builtin_holder")
        cls = module.BuiltinHolder
        # The class's own annotations, evaluated where they are written (the
        # runtime base class's annotations belong to another module), with the
        # modules it imports for type checkers only (`if TYPE_CHECKING:`).
        scope = dict(vars(module))
        for node in ast.walk(ast.parse(Path(module.__file__).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                exec(compile(ast.Module(body=[node], type_ignores=[]), "<imports>", "exec"), scope)
        own = {name: eval(text, scope) for name, text in cls.__annotations__.items()}
        assert own["list_"] == list[str] | None
        assert cls(list_=["x"], str_=3).list_ == ["x"]


def test_digit_first_names(tmp_path: Path) -> None:
    out = build(tmp_path, "digits.md")
    assert wire_to_field(out, "3dModel") == {"1st": "n1st", "2ndPlace": "n2nd_place", "404": "n404"}
    assert "graph_models/n3d_model.py".replace("graph_models", out.package) in out.files
    with imported(out) as mod:
        assert mod("").T3dModel is mod("n3d_model").T3dModel


def test_non_ascii_names(tmp_path: Path) -> None:
    out = build(tmp_path, "nonascii.md")
    t = next(t for t in out.model.types if t.name == "résumé")
    assert (t.py_class, t.py_module) == ("Resume", "resume")
    # Accents fold to ASCII; a name with no ASCII letters at all still gets a field.
    assert wire_to_field(out, "résumé") == {
        "café": "cafe",
        "naïve": "naive",
        "名前": "x",
        "Ωmega": "mega",
    }
    with imported(out) as mod:
        assert field_names(mod("resume").Resume) == ["cafe", "naive", "x", "mega"]


def test_at_names_are_annotations_not_properties(tmp_path: Path) -> None:
    out = build(tmp_path, "at_names.md")
    assert wire_to_field(out, "atHolder") == {"name": "name"}
    assert out.model.diagnostics == ()


def test_path_like_property_names(tmp_path: Path) -> None:
    out = build(tmp_path, "path_names.md")
    assert wire_to_field(out, "pathHolder") == {
        "file/localizations": "file_localizations",
        "a/b/c": "a_b_c",
        "folder\\name": "folder_name",
    }
    # `../up` has no readable name: a warning at its row, not a silent drop.
    assert [(d.line, d.code) for d in out.model.diagnostics] == [(9, "DG203")]


@pytest.mark.parametrize(
    ("page", "declared", "kept", "module"),
    [
        ("traversal_type.md", "microsoft.graph.../../evil", "traversal", "traversal"),
        ("slash_type.md", "microsoft.graph.a/b\\c", "slashy", "slashy"),
    ],
)
def test_type_names_that_are_paths_fall_back_to_the_title(
    tmp_path: Path, page: str, declared: str, kept: str, module: str
) -> None:
    out = build(tmp_path, page)
    assert [(d.line, d.severity, d.code) for d in out.model.diagnostics] == [
        (3, "warning", "DG106")
    ]
    assert repr(declared) in out.model.diagnostics[0].message
    assert [(t.name, t.py_module) for t in out.model.types] == [(kept, module)]
    assert sorted(out.files) == sorted(
        f"{out.package}/{f}"
        for f in (
            "__init__.py",
            "_odata.py",
            "_registry.py",
            "_runtime.py",
            "py.typed",
            f"{module}.py",
        )
    )


@pytest.mark.parametrize("stem", ["con", "aux", "nul", "com1", "lpt1"])
def test_windows_reserved_type_names(tmp_path: Path, stem: str) -> None:
    out = build(tmp_path, f"reserved_{stem}.md")
    (t,) = out.model.types
    assert (t.py_module, t.py_class) == (f"{stem}_", stem.capitalize())
    with imported(out) as mod:
        assert getattr(mod(""), stem.capitalize())().name is None


def test_reserved_stems_together_never_collide(tmp_path: Path) -> None:
    out = build(tmp_path, *(f"reserved_{s}.md" for s in ("con", "aux", "nul", "com1", "lpt1")))
    stems = sorted(t.py_module for t in out.model.types)
    assert stems == ["aux_", "com1_", "con_", "lpt1_", "nul_"]


def test_type_names_differing_only_in_case_get_distinct_module_files(tmp_path: Path) -> None:
    out = build(tmp_path, "case_a.md", "case_b.md", "case_c.md")
    # `FOOBar` is `fooBar` spelled differently (merged, as titles and annotations
    # differ in case on real pages); `foo_bar` is another type with the same stem.
    by = {t.name: t for t in out.model.types}
    assert sorted(by) == ["fooBar", "foo_bar"]
    assert [p.name for p in by["fooBar"].properties] == ["first", "third"]
    assert (by["foo_bar"].py_module, by["foo_bar"].py_class) == ("foo_bar", "FooBar")
    assert (by["fooBar"].py_module, by["fooBar"].py_class) == ("foo_bar_2", "FooBar_2")
    lowered = [p.lower() for p in out.files]
    assert len(set(lowered)) == len(lowered)


def test_keyword_and_runtime_type_names(tmp_path: Path) -> None:
    out = build(tmp_path, "keyword_types.md")
    assert sorted((t.name, t.py_module, t.py_class) for t in out.model.types) == [
        ("Any", "any", "Any_"),
        ("None", "none", "None_"),
        ("class", "class_", "Class"),
        ("list", "list", "List"),
        ("openEnum", "open_enum", "OpenEnum_"),
    ]
    assert [d.code for d in out.model.diagnostics] == ["DG104"]


def test_keyword_and_reserved_namespace_parts(tmp_path: Path) -> None:
    out = build(tmp_path, "hostile_namespace.md")
    (t,) = out.model.types
    assert t.namespace == "microsoft.graph.class.con"
    assert t.py_module == "class_.con_.in_namespace"
    with imported(out) as mod:
        assert mod("class_.con_").InNamespace is mod("class_.con_.in_namespace").InNamespace


def test_enum_named_like_the_runtime_base(tmp_path: Path) -> None:
    out = build(tmp_path, "open_enum_name.md")
    with imported(out) as mod:
        cls = mod("open_enum").OpenEnum_
        assert [m.name for m in cls] == ["FIRST", "SECOND"]
        assert cls.__mro__[1].__name__ == "OpenEnum"


def test_types_named_like_the_runtime_api_keep_clear_of_it(tmp_path: Path) -> None:
    out = build(
        tmp_path,
        "runtime_api_names.md",
        "runtime_api_from_dict.md",
        "runtime_api_enum.md",
        "runtime_api_model_for.md",
    )
    assert sorted((t.name, t.py_module, t.py_class) for t in out.model.types) == [
        ("fromDict", "from_dict_", "FromDict"),
        ("modelFor", "model_for_", "ModelFor"),
        ("openFlags", "open_flags", "OpenFlags_"),
        ("validationError", "validation_error", "ValidationError_"),
    ]
    with imported(out) as mod:
        root = mod("")
        for module in ("from_dict_", "model_for_", "open_flags", "validation_error"):
            mod(module)  # importing a submodule sets it as an attribute of the root
        assert root.from_dict({"size": 3}, "microsoft.graph.fromDict") == root.FromDict(size=3)
        assert root.model_for("microsoft.graph.modelFor") is root.ModelFor
        assert root.ValidationError.__module__.endswith("._runtime")
        assert [m.value for m in root.OpenFlags_] == ["first"]


# --- enums ---


def test_enum_members_the_enum_machinery_reserves(tmp_path: Path) -> None:
    out = build(tmp_path, "enum_reserved.md")
    with imported(out) as mod:
        cls = mod("reserved_members").ReservedMembers
        assert [(m.name, m.value) for m in cls] == [
            ("NAME", "name"),
            ("VALUE", "value"),
            ("MRO", "mro"),
            ("MISSING", "_missing_"),
            ("NONE", "None"),
            ("INIT", "__init__"),
            ("UPPER", "upper"),
            ("TRUE", "True"),
        ]
        assert cls("_missing_") is cls.MISSING
        assert cls("value").upper() == "VALUE"  # `str` methods still work
        assert cls("brandNew").value == "brandNew"


def test_enum_members_differing_only_in_punctuation(tmp_path: Path) -> None:
    out = build(tmp_path, "enum_punctuation.md")
    with imported(out) as mod:
        cls = mod("punctuated").Punctuated
        # Table order stays; names follow README "Stable names": Graph's
        # lowerCamelCase `aB` keeps `A_B`, the others take suffixes in wire-name order.
        assert [(m.name, m.value) for m in cls] == [
            ("A_B_3", "a-b"),
            ("A_B_5", "a_b"),
            ("A_B_4", "a.b"),
            ("A_B", "aB"),
            ("A_B_2", "A-B"),
            ("N1ST", "1st"),
        ]


# --- descriptions ---


def _docstrings(source: str, cls_name: str) -> dict[str, str]:
    """Field name -> the docstring literal's value after it, from the module's AST."""
    tree = ast.parse(source)
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls_name)
    out: dict[str, str] = {"": ast.get_docstring(cls, clean=False) or ""}
    for prev, node in zip(cls.body, cls.body[1:], strict=False):
        if isinstance(prev, ast.AnnAssign) and isinstance(prev.target, ast.Name):
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                out[prev.target.id] = node.value.value
    return out


def test_descriptions_with_quotes_backslashes_templates_and_controls(tmp_path: Path) -> None:
    out = build(tmp_path, "docstrings.md")
    docs = _docstrings(out.files[f"{out.package}/doc_holder.py"], "DocHolder")
    assert " ".join(docs[""].split()) == (
        'Descriptions that are hard to put in a docstring: """ and \\ and {{ page }} and '
        "{% if x %}."
    )
    assert docs["quotes"] == 'Ends with quotes """'
    assert docs["backslash"] == "A trailing backslash \\"
    assert docs["template"] == "{{ type.name }} {% for x in y %} {# c #}"
    # NUL becomes U+FFFD when markdown is read (CommonMark); the others survive, escaped.
    assert docs["control"] == "Bell \x07 escape \x1b[31m del \x7f nul \ufffd end"
    assert "\u202e" in docs["line_sep"]
    raw = out.files[f"{out.package}/doc_holder.py"]
    assert "\x07" not in raw and "\x1b" not in raw and "\u202e" not in raw


# --- files that are not really pages ---


def test_empty_page(tmp_path: Path) -> None:
    out = build(tmp_path, "empty.md")
    assert out.model.types == () and out.model.diagnostics == ()
    assert sorted(out.files) == [
        f"{out.package}/{f}"
        for f in ("__init__.py", "_odata.py", "_registry.py", "_runtime.py", "py.typed")
    ]


def test_binary_page(tmp_path: Path) -> None:
    out = build(tmp_path, "binary.md")
    assert out.model.types == ()
    assert [(d.path, d.line, d.code) for d in out.model.diagnostics] == [("binary.md", 1, "DG002")]


def test_huge_page(tmp_path: Path) -> None:
    """About 1.2 MB (the largest real page is 87 KB): 1,000 long rows and one
    200,000-character word."""
    rows = "\n".join(f"| p{i} | String | {'word ' * 200} |" for i in range(1000))
    text = (
        "# huge resource type\n\n| Property | Type | Description |\n|:--|:--|:--|\n"
        f"{rows}\n| long | String | {'x' * 200_000} |\n"
    )
    docs = write_docs(tmp_path / "docs", {"huge.md": text})
    assert len(text) > 1_200_000
    out = build_and_import(docs, tmp_path / "work")
    (t,) = out.model.types
    assert len(t.properties) == 1001 and t.properties[-2].py_name == "p999"
    assert len(t.properties[-1].description) == 200_000


def test_deeply_nested_json(tmp_path: Path) -> None:
    out = build(tmp_path, "deep_json.md")
    assert [(d.line, d.code, d.message.rsplit(": ", 1)[-1]) for d in out.model.diagnostics] == [
        (3, "DG102", "nested too deeply"),
        (13, "DG401", "nested too deeply"),
    ]
    assert wire_to_field(out, "deepJson") == {"name": "name"}


def test_unclosed_comment_hides_the_rest_of_the_page(tmp_path: Path) -> None:
    out = build(tmp_path, "unclosed_comment.md")
    assert wire_to_field(out, "unclosed") == {"kept": "kept"}
    assert [(d.line, d.code) for d in out.model.diagnostics] == [(9, "DG102")]


# --- inheritance ---


def test_inheritance_cycle_is_a_warning_and_the_build_goes_on(tmp_path: Path) -> None:
    out = build(tmp_path, "cycle_a.md", "cycle_b.md")
    assert out.errors() == set() and out.files
    (warning,) = [d for d in out.model.diagnostics if d.code == "DG504"]
    assert warning.severity == "warning"
    assert "microsoft.graph.cycleA -> microsoft.graph.cycleB -> microsoft.graph.cycleA" in (
        warning.message
    )
    # Two annotations, equal evidence: the later page's claim is dropped.
    assert (warning.path, warning.line) == ("cycle_b.md", 3)
    assert {t.name: t.base for t in out.model.types} == {
        "cycleA": "microsoft.graph.cycleB",
        "cycleB": None,
    }


def test_self_base_is_ignored_with_a_warning(tmp_path: Path) -> None:
    out = build(tmp_path, "self_base.md")
    (t,) = out.model.types
    assert t.base is None
    assert [(d.line, d.severity, d.code) for d in out.model.diagnostics] == [
        (3, "warning", "DG505")  # the annotation's line
    ]


# --- the command line over the whole folder ---


def test_cli_on_the_whole_folder_stops_on_an_unreadable_page(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(HOSTILE, docs)
    unreadable_page(docs / "unreadable.md")
    out = tmp_path / "out"
    run = run_cli("build", docs, "-o", out, cwd=tmp_path)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "unreadable.md:1:1: error DG001 cannot read page" in run.stderr
    # The 10 warnings of the hostile pages and the cycle's (a warning, not an error).
    assert "1 error, 11 warnings: nothing written" in run.stderr
    assert not out.exists()
    # Only the docs: the build cache lives in the user's own cache folder.
    assert {p.split("/")[0] for p in files_under(tmp_path)} <= {"docs"}


def test_cli_builds_the_whole_folder_cycle_included(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(HOSTILE, docs)
    out = tmp_path / "out"
    run = run_cli("build", docs, "-o", out, "--package", "hostile_pkg", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert "11 warnings (-v lists them)" in run.stderr
    produced = {p for p in files_under(tmp_path) if not p.startswith("docs/")}
    assert produced and all(p.startswith("out/hostile_pkg/") for p in produced)
    script = (
        "import hostile_pkg as p, importlib, pkgutil\n"
        "for m in pkgutil.walk_packages(p.__path__, 'hostile_pkg.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(sorted(getattr(p, n).__name__ for n in p.__all__))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "'OpenEnum_'" in run.stdout and "'T3dModel'" in run.stdout


# --- internal errors ---


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (KeyError("simulated bug"), "KeyError: 'simulated bug'"),
        (ValueError("first line\n  second line"), "ValueError: first line second line"),
        (RecursionError("maximum recursion depth exceeded"), "RecursionError: maximum"),
    ],
)
def test_internal_error_is_one_line_naming_the_page(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    error: Exception,
    shown: str,
) -> None:
    docs = write_docs(tmp_path / "docs", {"a.md": "# a resource type\n", "boom.md": "# boom\n"})

    real = extract.extract

    def explode(page):  # type: ignore[no-untyped-def]
        if page.source == "boom.md":
            raise error
        return real(page)

    monkeypatch.setattr("docgen.extract.extract", explode)
    for command in ("build", "check", "parse", "lint"):
        extra = (
            ["--json"]
            if command == "parse"
            else ["-o", str(tmp_path / "out")] if command in ("build", "check") else []
        )
        code = main([command, str(docs), *extra])
        err = capsys.readouterr().err
        assert code == 1, command
        (line,) = err.strip().splitlines()
        page = docs / "boom.md"  # as given: DOCS was an absolute path
        assert line.startswith(f"docgen: internal error while processing {page}: {shown}"), line
    assert not (tmp_path / "out").exists()


# --- broken user templates (`--templates DIR`) ---


@pytest.mark.parametrize(
    ("template", "line", "message"),
    [
        ("ok\n{% if %}\n", 2, "Expected an expression"),  # syntax error
        ("x\n\n{{ no_such_var }}\n", 3, "'no_such_var' is undefined"),  # at render time
        ("x\n{{ type.name | nosuchfilter }}\n", 2, "No filter named 'nosuchfilter'"),
        ("a\nb\n{{ 1 // 0 }}\n", 3, "ZeroDivisionError: integer division or modulo by zero"),
        ('{% include "nowhere.j2" %}\n', 1, "nowhere.j2"),
    ],
    ids=["syntax", "undefined-variable", "undefined-filter", "raises", "missing-include"],
)
def test_broken_user_template_is_one_line_naming_it(
    tmp_path: Path, template: str, line: int, message: str
) -> None:
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "enum.py.j2").write_text(template, encoding="utf-8")
    out = tmp_path / "out"
    run = run_cli(
        "build", REPO_ROOT / "docs-src", "-o", out, "--templates", templates, cwd=tmp_path
    )
    assert run.returncode == 1
    (only,) = run.stderr.strip().splitlines()
    assert only.startswith(f"docgen: error: template {templates / 'enum.py.j2'}:{line}: "), only
    assert message in only
    assert not out.exists()


# --- the real corpus ---


def test_corpus_package_passes_ruff_default_rules(
    corpus_v1_resources: Path, tmp_path: Path
) -> None:
    """`ruff check --isolated` (ruff's default rules: no unused imports, no undefined
    names, `__all__` sorted as RUF022 wants, ...) on the v1.0 corpus package."""
    out = tmp_path / "x"
    build = run_cli("build", corpus_v1_resources, "-o", out, cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    run = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    assert len(list((out / "graph_models").glob("*.py"))) > 1000
