"""Render stage: generated code is valid, importable, typed, lint-clean and deterministic."""

from __future__ import annotations

import ast
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen import extract
from docgen.format import format_sources
from docgen.model import EnumMember, Kind, Model, Property, TypeDef
from docgen.render import cell, clean_doc, docstring, pystr, relative_module, render
from docgen.write import write_tree

ROOT = "microsoft.graph"

NASTY = [
    "plain text",
    'ends with a quote"',
    'ends with quotes""',
    '"starts with a quote',
    '""""four quotes"""" and """three"""',
    "ends with a backslash\\",
    "two backslashes at the end\\\\",
    "escapes \\n \\t \\x00 \\u1234 \\N{BULLET} stay literal",
    "{{ 7 * 7 }} {% if true %}jinja{% endif %} {# comment #} {%- raw %}",
    "NUL \x00 and BEL \x07 and ESC \x1b and DEL \x7f",
    "tab\there and form feed \x0c and vertical tab \x0b",
    "CRLF line\r\nCR line\rLF line\nend",
    "unicode: café, naïve, 日本語, emoji 🚀, combining e\u0301",
    "line separators \u2028 and \u2029 and NEL \x85 and nbsp \xa0",
    "zero width \u200b joiner \u200d bom \ufeff",
    "lone surrogates \ud800 and \udfff and a pair \ud83d\ude80",
    "   leading and trailing whitespace   \n\n",
    "first\n    indented second\n        more indented",
    "first\n  all continuation\n  lines indented",
    "para one\n\n\npara two after blank lines",
    "'''single triple''' and ''' at end '''",
    "x" * 300,
    ("long words " * 40).strip(),
    "a line ending with spaces   \nnext",
    "\\",
    '"',
    "'",
    "",
    "   ",
    "\n",
    "text with # hash and ) paren ( and ] bracket",
]


def undent(value: str, pad: str) -> str:
    """Invert the PEP 257 layout that `docstring` promises: strip the continuation pad."""
    lines = value.split("\n")
    if len(lines) == 1:
        return value
    assert lines[-1] == pad, "multi-line docstrings close on their own line"
    rest = []
    for line in lines[1:-1]:
        assert line == "" or line.startswith(pad)
        rest.append(line[len(pad) :])
    return "\n".join([lines[0], *rest])


def docstring_value(literal: str, indent: int = 4) -> str | None:
    source = "class C:\n" + " " * indent + literal + "\n"
    namespace: dict[str, object] = {}
    exec(compile(source, "<doc>", "exec"), namespace)
    doc = namespace["C"].__doc__
    assert doc is None or isinstance(doc, str)
    return doc


# --- docstring and string filters ---


@pytest.mark.parametrize("text", [t for t in NASTY if t.strip()])
def test_docstring_value_is_the_cleaned_text(text: str) -> None:
    literal = docstring(text, 4, width=None)
    literal.encode("utf-8")  # always writable
    value = docstring_value(literal)
    assert value is not None
    assert undent(value, "    ") == clean_doc(text)


@pytest.mark.parametrize("text", [t for t in NASTY if t.strip()])
def test_wrapped_docstring_keeps_the_words(text: str) -> None:
    literal = docstring(text, 4, width=60)
    value = docstring_value(literal)
    assert value is not None
    assert undent(value, "    ").split() == clean_doc(text).split()


@pytest.mark.parametrize("text", [t for t in NASTY if t.strip()])
def test_black_leaves_the_docstring_value_alone(text: str) -> None:
    for width in (None, 88):
        source = f"class C:\n    {docstring(text, 4, width=width)}\n    x: int = 1\n"
        formatted = format_sources({"m.py": source})["m.py"]
        assert docstring_value_of_module(formatted) == docstring_value_of_module(source)


def docstring_value_of_module(source: str) -> str | None:
    namespace: dict[str, object] = {}
    exec(compile(source, "<m>", "exec"), namespace)
    return namespace["C"].__doc__


def test_clean_doc_normalizes_only_whitespace_and_surrogates() -> None:
    assert clean_doc("  a  \r\n b\t \rc\n\n") == "a\n b\nc"
    assert clean_doc("keep\ttabs inside") == "keep\ttabs inside"
    assert clean_doc("lone \ud800") == "lone \ufffd"
    assert clean_doc("pair \ud83d\ude80") == "pair \U0001f680"


def test_readable_unicode_stays_readable() -> None:
    literal = docstring("café 日本語 🚀", 4)
    assert "café 日本語 🚀" in literal


def test_control_characters_are_escaped_in_the_source() -> None:
    literal = docstring("a\x00b\x1bc\u2028d\ud800", 4)
    assert not any(
        ch in literal for ch in "\x00\x1b\u2028\ud800"
    ), "control characters must not appear raw in the source"


# Any code point, with the troublemakers made frequent.
ANY_TEXT = st.text(
    st.one_of(
        st.characters(exclude_categories=()),
        st.sampled_from(list("\"'\\\n\r\t {}%#\x00\x85\u2028\ud800\udfff\ufeff")),
    )
)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_docstring_roundtrips_any_text(text: str) -> None:
    if not clean_doc(text):
        return
    literal = docstring(text, 8, width=None)
    literal.encode("utf-8")
    value = docstring_value(literal, indent=8)
    assert value is not None
    assert undent(value, " " * 8) == clean_doc(text)


@settings(max_examples=100, deadline=None)
@given(ANY_TEXT)
def test_black_keeps_any_docstring(text: str) -> None:
    if not clean_doc(text):
        return
    source = f"class C:\n    {docstring(text, 4)}\n    x: int = 1\n"
    formatted = format_sources({"m.py": source})["m.py"]
    assert docstring_value_of_module(formatted) == docstring_value_of_module(source)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_pystr_roundtrips_any_text(text: str) -> None:
    literal = pystr(text)
    literal.encode("utf-8")
    assert ast.literal_eval(literal) == text


@pytest.mark.parametrize("text", NASTY)
def test_pystr_roundtrips_nasty_text(text: str) -> None:
    assert ast.literal_eval(pystr(text)) == text


def test_relative_module_paths() -> None:
    assert relative_module("drive_item", "entity") == ".entity"
    assert relative_module("call_records.session", "entity") == "..entity"
    assert relative_module("call_records.session", "call_records.segment") == ".segment"
    assert relative_module("drive_item", "call_records.session") == ".call_records.session"
    assert relative_module("a.b.x", "a.c.y") == "..c.y"


# --- model builders ---


def prop(
    name: str, typ: str, collection: bool = False, description: str = "", py: str = ""
) -> Property:
    return Property(
        name=name,
        py_name=py or name,
        type=typ,
        collection=collection,
        navigation=False,
        nullable=None,
        read_only=False,
        description=description,
        line=1,
    )


def typedef(
    name: str,
    cls: str,
    module: str,
    *,
    namespace: str = ROOT,
    kind: Kind = "entity",
    base: str | None = None,
    description: str = "",
    properties: tuple[Property, ...] = (),
    members: tuple[EnumMember, ...] = (),
) -> TypeDef:
    return TypeDef(
        name=name,
        namespace=namespace,
        kind=kind,
        source=f"{name}.md",
        line=1,
        description=description,
        py_class=cls,
        py_module=module,
        base=base,
        properties=properties,
        members=members,
    )


def small_model() -> Model:
    types = [
        typedef(
            "entity",
            "Entity",
            "entity",
            description="Base of all entities.",
            properties=(prop("id", "Edm.String", description="The identifier."),),
        ),
        typedef(
            "driveItem",
            "DriveItem",
            "drive_item",
            base=f"{ROOT}.entity",
            description='A file or folder. Has """quotes""" and {{ jinja }}.',
            properties=(
                prop("name", "Edm.String"),
                prop("size", "Edm.Int64"),
                prop("createdDateTime", "Edm.DateTimeOffset", py="created_date_time"),
                prop("tags", "Edm.String", collection=True),
                prop("parent", f"{ROOT}.driveItem"),
                prop("children", f"{ROOT}.driveItem", collection=True),
                prop("color", f"{ROOT}.color"),
                prop("session", f"{ROOT}.callRecords.session"),
            ),
        ),
        typedef(
            "color",
            "Color",
            "color",
            kind="enum",
            description="Colors.",
            members=(
                EnumMember("red", "RED", None, "Red."),
                EnumMember("darkBlue", "DARK_BLUE", None, ""),
            ),
        ),
        typedef(
            "session",
            "Session",
            "call_records.session",
            namespace=f"{ROOT}.callRecords",
            base=f"{ROOT}.entity",
            properties=(prop("item", f"{ROOT}.driveItem"),),
        ),
    ]
    return Model(types=tuple(sorted(types, key=lambda t: t.qualified.lower())))


EDM = [
    "Edm.String",
    "Edm.Boolean",
    "Edm.Byte",
    "Edm.SByte",
    "Edm.Int16",
    "Edm.Int32",
    "Edm.Int64",
    "Edm.Single",
    "Edm.Double",
    "Edm.Decimal",
    "Edm.DateTimeOffset",
    "Edm.Date",
    "Edm.TimeOfDay",
    "Edm.Duration",
    "Edm.Guid",
    "Edm.Binary",
    "Edm.Stream",
    "Edm.Untyped",
    "Edm.Geography",
]
# Field names that shadow names an annotation might use inside the class body.
SHADOWING = [
    "list",
    "str",
    "int",
    "float",
    "bool",
    "bytes",
    "datetime",
    "date",
    "time",
    "typing",
    "uuid",
    "decimal",
    "dataclasses",
    "builtins",
    "enum",
    "annotations",
    "type",
    "id",
    "from_",
    "value",
    "name",
    "any",
    "tuple",
]
NAMESPACES = [
    (ROOT, ""),
    (f"{ROOT}.callRecords", "call_records"),
    (f"{ROOT}.security", "security"),
    (f"{ROOT}.ext.deep", "ext.deep"),  # `ext` has no types of its own
]


def large_model(n: int = 300, seed: int = 7) -> Model:
    """A synthetic model with the awkward cases the resolver allows."""
    rng = random.Random(seed)
    plan: list[tuple[str, str, str, str, Kind]] = []  # namespace, name, cls, module, kind
    for ns, prefix in NAMESPACES:
        # The same class name in every package: modules must alias one of them.
        plan.append((ns, "session", "Session", f"{prefix}.session".lstrip("."), "entity"))
    for i in range(n - len(plan)):
        ns, prefix = rng.choice(NAMESPACES)
        kind: Kind = rng.choice(["entity", "entity", "complex", "enum"])
        module = f"{prefix}.type_{i}".lstrip(".")
        plan.append((ns, f"type{i}", f"Type{i}", module, kind))

    qualified = [f"{ns}.{name}" for ns, name, _, _, _ in plan]
    fields_of: dict[str, set[str]] = {}
    types: list[TypeDef] = []
    for index, (ns, name, cls, module, kind) in enumerate(plan):
        q = f"{ns}.{name}"
        description = rng.choice(NASTY)
        if kind == "enum":
            wire = [f"value{j}" for j in range(rng.randint(1, 6))]
            members = [EnumMember(w, w.upper(), None, rng.choice(NASTY)) for w in wire]
            if index % 5 == 0:
                members += [
                    EnumMember("name", "NAME", None, ""),
                    EnumMember("value", "VALUE", None, ""),
                    EnumMember("mro", "MRO", None, ""),
                    EnumMember("missing", "_missing_", None, ""),
                    EnumMember("lowerMro", "mro", None, ""),
                    EnumMember("lowerName", "name", None, ""),
                    EnumMember("upper", "upper", None, ""),
                    EnumMember('weird "quoted" \\ value', "WEIRD", None, ""),
                ]
            types.append(
                typedef(
                    name,
                    cls,
                    module,
                    namespace=ns,
                    kind="enum",
                    description=description,
                    members=tuple(members),
                )
            )
            fields_of[q] = set()
            continue
        candidates = [qualified[j] for j in range(index) if plan[j][4] != "enum"]
        base = rng.choice(candidates) if candidates and rng.random() < 0.5 else None
        inherited: set[str] = set()
        b = base
        while b is not None:
            inherited |= fields_of[b]
            b = next(t.base for t in types if t.qualified == b)
        props: list[Property] = []
        names: set[str] = set()
        for _ in range(rng.randint(0, 8)):
            py = rng.choice(SHADOWING) if rng.random() < 0.4 else f"field_{rng.randint(0, 99)}"
            if py in names or py in inherited:
                continue
            names.add(py)
            target = rng.choice(EDM) if rng.random() < 0.5 else rng.choice(qualified)
            props.append(
                prop(
                    py, target, collection=rng.random() < 0.3, description=rng.choice(NASTY), py=py
                )
            )
        fields_of[q] = names
        types.append(
            typedef(
                name,
                cls,
                module,
                namespace=ns,
                kind=kind,
                base=base,
                description=description,
                properties=tuple(props),
            )
        )
    return Model(types=tuple(sorted(types, key=lambda t: t.qualified.lower())))


# --- rendering ---


def build(model: Model, out: Path, package: str = "pkg") -> dict[str, str]:
    files = format_sources(render(model, package))
    write_tree(files, out, package)
    return files


def expectations(model: Model, package: str) -> dict[str, object]:
    """What the generated package must offer, derived from the model alone."""
    by_name = model.by_qualified()

    def all_fields(t: TypeDef) -> list[str]:
        chain = []
        cur: TypeDef | None = t
        while cur is not None:
            chain.append(cur)
            cur = by_name[cur.base] if cur.base else None
        return [p.py_name for c in reversed(chain) for p in c.properties]

    out: dict[str, object] = {}
    for t in model.types:
        pkg = ".".join([package, *t.py_module.split(".")[:-1]])
        out[f"{pkg}:{t.py_class}"] = {
            "module": f"{package}.{t.py_module}",
            "kind": t.kind,
            "fields": all_fields(t) if t.kind != "enum" else [],
            "members": [m.name for m in t.members],
            "doc": " ".join(clean_doc(t.description).split()),
        }
    return out


CHECK_SCRIPT = textwrap.dedent("""
    import dataclasses, enum, importlib, json, sys
    package, expected = sys.argv[1], json.loads(sys.stdin.read())
    root = importlib.import_module(package)
    lazy = [m for m in sys.modules if m.startswith(package + ".")]
    assert not lazy, f"importing the package imported {lazy}"
    seen = set()
    for key, want in sorted(expected.items()):
        pkg_name, cls_name = key.split(":")
        pkg = importlib.import_module(pkg_name)
        assert cls_name in pkg.__all__, (pkg_name, cls_name)
        assert cls_name in dir(pkg)
        ns = {}
        exec(f"from {pkg_name} import {cls_name} as X", ns)
        cls = ns["X"]
        assert cls is getattr(importlib.import_module(want["module"]), cls_name)
        assert cls.__name__ == cls_name
        seen.add(want["module"])
        doc = " ".join((cls.__doc__ or "").split())
        if want["kind"] == "enum":
            assert issubclass(cls, str) and issubclass(cls, enum.Enum)
            assert [m.value for m in cls] == want["members"], cls_name
            for m in cls:
                assert cls(m.value) is m
            unknown = cls("brandNewValue")
            assert unknown.value == "brandNewValue" and unknown == "brandNewValue"
            assert isinstance(unknown, cls) and cls("brandNewValue") is unknown
            assert unknown not in list(cls)
        else:
            assert dataclasses.is_dataclass(cls)
            names = [f.name for f in dataclasses.fields(cls) if f.name != "additional_data"]
            assert names == want["fields"], (cls_name, names, want["fields"])
            empty = cls()
            assert all(getattr(empty, n) is None for n in names)
            full = cls(**{n: n for n in names})
            assert all(getattr(full, n) == n for n in names)
            assert empty.additional_data == {} and empty.to_dict() == {}
            if want["doc"]:
                assert doc == want["doc"], (cls_name, doc, want["doc"])
    try:
        getattr(root, "NoSuchModel")
    except AttributeError:
        pass
    else:
        raise AssertionError("unknown names must raise AttributeError")
    print(len(seen))
    """)


def run_python(
    out: Path, script: str, *args: str, stdin: str | None = None, no_site: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run `script` in a fresh interpreter that imports from the built package `out`
    (with `no_site`, `python -S`: nothing but the script decides what is imported)."""
    return subprocess.run(
        [sys.executable, *(["-S"] if no_site else []), "-c", script, *args],
        input=stdin,
        cwd=out,
        env={**os.environ, "PYTHONPATH": str(out), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
    )


def run_checks(out: Path, package: str, model: Model) -> None:
    expected = expectations(model, package)
    result = run_python(out, CHECK_SCRIPT, package, stdin=json.dumps(expected))
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == len(model.types)


def run_mypy(out: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(out / ".mypy_cache"),
            *targets,
        ],
        cwd=out,
        env={**os.environ, "MYPYPATH": str(out)},
        capture_output=True,
        text=True,
    )


def run_ruff(out: Path, package: str, *extra: str) -> subprocess.CompletedProcess[str]:
    """ruff with its defaults (what a user runs bare), unless `extra` says otherwise."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--isolated",
            "--no-cache",
            *extra,
            package,
        ],
        cwd=out,
        capture_output=True,
        text=True,
    )


def compile_all(files: dict[str, str]) -> None:
    for path, text in files.items():
        if path.endswith(".py"):
            compile(text, path, "exec")


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Model, Path, dict[str, str]]:
    model = large_model()
    out = tmp_path_factory.mktemp("large")
    return model, out, build(model, out)


def test_small_model_layout(tmp_path: Path) -> None:
    files = render(small_model(), "graph_models")
    assert set(files) == {
        "graph_models/__init__.py",
        "graph_models/py.typed",
        "graph_models/_runtime.py",
        "graph_models/_odata.py",
        "graph_models/_registry.py",
        "graph_models/entity.py",
        "graph_models/drive_item.py",
        "graph_models/color.py",
        "graph_models/call_records/__init__.py",
        "graph_models/call_records/session.py",
    }
    assert files["graph_models/py.typed"] == ""
    compile_all(files)
    compile_all(format_sources(files))


def test_small_model_imports_and_typechecks(tmp_path: Path) -> None:
    model = small_model()
    build(model, tmp_path)
    run_checks(tmp_path, "pkg", model)
    result = run_mypy(tmp_path, "-p", "pkg")
    assert result.returncode == 0, result.stdout + result.stderr
    result = run_ruff(tmp_path, "pkg")
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_types_are_visible_to_type_checkers(tmp_path: Path) -> None:
    """mypy sees the real field types through the lazy exports, not Any."""
    build(small_model(), tmp_path)
    good = tmp_path / "good.py"
    good.write_text(
        "import datetime\n"
        "from pkg import Color, DriveItem\n"
        "from pkg.call_records import Session\n"
        "item = DriveItem(name='a', size=1, tags=['x'], color=Color.RED,\n"
        "                 created_date_time=datetime.datetime.now(), session=Session(id='s'))\n"
        "name: str | None = item.name\n"
        "parent: DriveItem | None = item.parent\n"
    )
    result = run_mypy(tmp_path, "good.py")
    assert result.returncode == 0, result.stdout + result.stderr
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from pkg import DriveItem\n"
        "DriveItem(size='not an int')\n"
        "x: int = DriveItem().name\n"
        "from pkg import NoSuchModel\n"
    )
    result = run_mypy(tmp_path, "bad.py")
    assert result.returncode != 0
    assert result.stdout.count("error:") >= 3, result.stdout


def test_importing_one_model_does_not_import_others(tmp_path: Path) -> None:
    build(small_model(), tmp_path)
    script = (
        "import sys; import pkg.drive_item\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('pkg.'))\n"
        "print(loaded)\n"
    )
    result = run_python(tmp_path, script)
    assert result.returncode == 0, result.stderr
    # The base class and the shared runtime are real imports; the registry and
    # every referenced model are imported only when a value needs them.
    assert result.stdout.strip() == str(["pkg._runtime", "pkg.drive_item", "pkg.entity"])


def test_importing_and_using_a_model_does_not_import_typing(tmp_path: Path) -> None:
    """typing costs a few ms; type checkers get `TYPE_CHECKING = False` instead."""
    build(small_model(), tmp_path)
    script = (
        "import sys\n"
        "assert 'typing' not in sys.modules, 'the interpreter loaded typing at start-up'\n"
        "import pkg\n"
        "from pkg import DriveItem\n"
        "item = DriveItem.from_dict({'name': 'x', 'size': 3})\n"
        "assert item.to_dict() == {'name': 'x', 'size': 3}\n"
        "print('typing' in sys.modules)\n"
    )
    result = run_python(tmp_path, script, no_site=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "False\n"


def test_large_model_imports(large: tuple[Model, Path, dict[str, str]]) -> None:
    model, out, files = large
    compile_all(files)
    run_checks(out, "pkg", model)


def test_large_model_passes_mypy_strict(large: tuple[Model, Path, dict[str, str]]) -> None:
    _, out, _ = large
    result = run_mypy(out, "-p", "pkg")
    assert result.returncode == 0, result.stdout[:5000] + result.stderr


def test_large_model_passes_ruff(large: tuple[Model, Path, dict[str, str]]) -> None:
    _, out, _ = large
    result = run_ruff(out, "pkg")
    assert result.returncode == 0, result.stdout[:5000]
    # The project's own rule set too (imports sorted, modern syntax, bugbear), at the
    # oldest Python the package supports.
    select = ("--select", "E,F,W,I,UP,B", "--ignore", "E501")
    result = run_ruff(out, "pkg", "--target-version", "py310", *select)
    assert result.returncode == 0, result.stdout[:5000]


def test_large_model_has_every_package_init(large: tuple[Model, Path, dict[str, str]]) -> None:
    model, _, files = large
    for t in model.types:
        parts = t.py_module.split(".")[:-1]
        for i in range(len(parts) + 1):
            assert "/".join(["pkg", *parts[:i], "__init__.py"]) in files


def test_render_is_deterministic() -> None:
    model = large_model(n=120, seed=3)
    first = render(model, "pkg")
    shuffled = list(model.types)
    random.Random(1).shuffle(shuffled)
    assert render(Model(types=tuple(shuffled)), "pkg") == first
    assert list(first) == sorted(first)


def test_render_is_deterministic_across_hash_seeds() -> None:
    script = (
        "import hashlib, sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from test_render import large_model\n"
        "from docgen.render import render\n"
        "files = render(large_model(n=120, seed=3), 'pkg')\n"
        "h = hashlib.sha256()\n"
        "for k, v in files.items():\n"
        "    h.update(k.encode() + b'\\0' + v.encode('utf-8') + b'\\0')\n"
        "print(h.hexdigest())\n"
    )
    digests = set()
    for seed in ("0", "1", "12345"):
        result = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert result.returncode == 0, result.stderr
        digests.add(result.stdout.strip())
    assert len(digests) == 1
    local = hashlib.sha256()
    for k, v in render(large_model(n=120, seed=3), "pkg").items():
        local.update(k.encode() + b"\0" + v.encode("utf-8") + b"\0")
    assert digests == {local.hexdigest()}


def test_jinja_syntax_in_descriptions_is_data(tmp_path: Path) -> None:
    text = "{{ package }} {% for x in y %}{{ x }}{% endfor %} {# hidden #} {%raw%}"
    model = Model(
        types=(
            typedef(
                "thing",
                "Thing",
                "thing",
                description=text,
                properties=(prop("a", "Edm.String", description=text),),
            ),
        )
    )
    files = render(model, "pkg")
    tree = ast.parse(files["pkg/thing.py"])
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef))
    assert " ".join((ast.get_docstring(cls, clean=False) or "").split()) == " ".join(text.split())
    field_doc = cls.body[2]
    assert isinstance(field_doc, ast.Expr) and isinstance(field_doc.value, ast.Constant)
    assert " ".join(str(field_doc.value.value).split()) == " ".join(text.split())


def test_user_templates_override_by_name(tmp_path: Path) -> None:
    builtin = Path(__file__).resolve().parent.parent / "templates" / "enum.py.j2"
    (tmp_path / "enum.py.j2").write_text(
        builtin.read_text(encoding="utf-8") + "# custom enum template\n", encoding="utf-8"
    )
    files = render(small_model(), "pkg", templates=tmp_path)
    assert files["pkg/color.py"].endswith("\n# custom enum template\n")
    assert "# custom enum template" not in files["pkg/drive_item.py"]
    compile_all(files)


def test_missing_templates_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="templates"):
        render(small_model(), "pkg", templates=tmp_path / "nope")


def test_user_template_mistakes_are_loud(tmp_path: Path) -> None:
    (tmp_path / "model.py.j2").write_text("{{ no_such_variable }}\n", encoding="utf-8")
    with pytest.raises(jinja2.UndefinedError):
        render(small_model(), "pkg", templates=tmp_path)


def test_render_refuses_bad_package_name() -> None:
    for bad in ("", "1pkg", "my-pkg", "class", "a.b"):
        with pytest.raises(ValueError):
            render(small_model(), bad)


def test_render_refuses_unknown_type_reference() -> None:
    model = Model(types=(typedef("a", "A", "a", properties=(prop("b", f"{ROOT}.missing"),)),))
    with pytest.raises(ValueError, match="missing"):
        render(model, "pkg")


def test_render_refuses_enum_without_members() -> None:
    model = Model(types=(typedef("e", "E", "e", kind="enum"),))
    with pytest.raises(ValueError, match="no members"):
        render(model, "pkg")


def test_enum_member_names_are_made_safe(tmp_path: Path) -> None:
    members = tuple(
        EnumMember(wire, py, None, "")
        for wire, py in [
            ("a", "_missing_"),
            ("b", "mro"),
            ("c", "name"),
            ("d", "value"),
            ("e", "_generate_next_value_"),
            ("f", "MRO"),
            ("g", "NAME"),
            ("h", "upper"),
            ("i", "__init__"),
            ("j", "MEMBER_missing"),
        ]
    )
    model = Model(types=(typedef("e", "E", "e", kind="enum", members=members),))
    build(model, tmp_path)
    run_checks(tmp_path, "pkg", model)
    result = run_mypy(tmp_path, "-p", "pkg")
    assert result.returncode == 0, result.stdout + result.stderr


# --- black has nothing to change: one formatting pass instead of two ---

REPO_ROOT = Path(__file__).resolve().parent.parent


def long_name_model() -> Model:
    """Names of every length around black's limit, so each kind of line the
    templates split (imports, class lines, fields, `_fields_` rows, enum
    members, registry and `__init__` entries) lands on both sides of column 88.
    Names stop at 74 characters with an alias (Graph's longest is about 60): past that
    black also splits `list[...]`, which the templates leave to it."""
    types = [typedef("entity", "Entity", "entity", properties=(prop("id", "Edm.String"),))]
    previous = f"{ROOT}.entity"
    for n in range(20, 67):
        word = "x" * n
        for namespace, package in ((ROOT, ""), (f"{ROOT}.callRecords", "call_records.")):
            name = f"long{word}"
            types.append(
                typedef(
                    name,
                    f"Long{word}",
                    f"{package}long_{word}",
                    namespace=namespace,
                    base=previous,
                    properties=(
                        prop(f"p{word}", f"{ROOT}.kind{word}", py=f"p_{word}"),
                        prop(f"q{word}", previous, collection=True, py=f"q_{word}"),
                        prop(f"when{word}", "Edm.DateTimeOffset", py=f"when_{word}"),
                    ),
                )
            )
            previous = f"{namespace}.{name}"
        types.append(
            typedef(
                f"kind{word}",
                f"Kind{word}",
                f"kind_{word}",
                kind="enum",
                members=(EnumMember(f"v{word}", f"V_{word.upper()}", None, ""),),
            )
        )
    return Model(types=tuple(sorted(types, key=lambda t: t.qualified.lower())))


def black_changes(files: dict[str, str]) -> list[str]:
    import black

    from docgen.format import mode, trim_end

    return [
        path
        for path, text in sorted(files.items())
        if path.endswith(".py") and black.format_str(trim_end(text), mode=mode()) != trim_end(text)
    ]


def test_rendered_long_names_are_already_black_formatted() -> None:
    files = render(long_name_model(), "pkg")
    assert len(files) > 140
    assert black_changes(files) == []


def test_rendered_docs_src_is_already_black_formatted() -> None:
    from docgen.pipeline import load_model

    files = render(load_model([REPO_ROOT / "docs-src"]), "graph_models")
    assert black_changes(files) == []


def test_rendered_small_and_large_models_are_already_black_formatted() -> None:
    assert black_changes(render(small_model(), "pkg")) == []
    assert black_changes(render(large_model(), "pkg")) == []


# --- the `_fields_` table: one string literal that the runtime splits at whitespace ---

SPACES = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT.map(lambda t: "".join(t.split())).filter(bool))
def test_cell_reads_back_as_one_cell(text: str) -> None:
    literal = '"""\n        ' + cell(text) + " b c" + '\n    """'
    literal.encode("utf-8")
    assert ast.literal_eval(literal).split() == [text, "b", "c"]


@pytest.mark.parametrize(
    "text", ["folder\\name", "ends\\", '"""', 'x"', "\x00\x7f", "\ud800", "名前", "\u200b"]
)
def test_cell_reads_back_nasty_text(text: str) -> None:
    assert ast.literal_eval('"""' + cell(text) + ' """') == text + " "


@pytest.mark.parametrize("text", ["", "a b", "tab\there", "a\nb", "nbsp\xa0", "\u2028", " x"])
def test_cell_refuses_text_the_runtime_would_split(text: str) -> None:
    with pytest.raises(ValueError, match="table cell"):
        cell(text)


@pytest.mark.parametrize(
    "pattern", [extract._NAME, extract._JSON_KEY, extract._TYPE_WORD, extract._IDENTIFIER]
)
def test_names_the_extractor_emits_hold_no_whitespace(pattern: re.Pattern[str]) -> None:
    """Wire and type names come from these patterns, so `cell` never refuses one."""
    assert pattern.fullmatch("ab")
    assert [ch for ch in SPACES if pattern.fullmatch("a" + ch + "b")] == []


ODD_WIRE_NAMES = [
    "folder\\name",
    "trailing\\",
    "café",
    "名前",
    "@odata.etag",
    "a/b-c.d",
    'quote"d',
    '"""',
    "nul\x00",
    "zero\u200bwidth",
]

ODD_NAMES_SCRIPT = textwrap.dedent("""
    import json, sys
    from pkg import Odd, Model
    names = json.loads(sys.stdin.read())
    payload = {name: f"value {i}" for i, name in enumerate(names)}
    payload["unknown"] = 1
    obj = Odd.from_dict(payload)
    assert [getattr(obj, f"f{i}") for i in range(len(names))] == list(payload.values())[:-1]
    assert obj.additional_data == {"unknown": 1}
    assert obj.to_dict() == payload and list(obj.to_dict()) == list(payload)

    class Bad(Model):
        _fields_ = "\\n  wire field_only\\n"

    try:
        Bad.from_dict({})
    except TypeError as err:
        assert "Bad._fields_: 'wire field_only'" in str(err), err
    else:
        raise AssertionError("a malformed row must be refused")

    import dataclasses

    @dataclasses.dataclass(kw_only=True)
    class Old(Model):  # what a model template copied before the text table wrote
        name: str | None = None
        _fields_ = (("displayName", "name", "Edm.String"),)

    assert Old.from_dict({"displayName": "x"}).name == "x"
    assert Old(name="y").to_dict() == {"displayName": "y"}
    print("ok")
    """)


def test_odd_wire_names_survive_the_table(tmp_path: Path) -> None:
    props = tuple(prop(n, "Edm.String", py=f"f{i}") for i, n in enumerate(ODD_WIRE_NAMES))
    model = Model(types=(typedef("odd", "Odd", "odd", properties=props),))
    files = build(model, tmp_path)
    assert black_changes(render(model, "pkg")) == []
    result = run_python(tmp_path, ODD_NAMES_SCRIPT, stdin=json.dumps(ODD_WIRE_NAMES))
    assert result.returncode == 0 and result.stdout == "ok\n", result.stderr
    assert "folder\\\\name" in files["pkg/odd.py"]  # escaped in the source, one `\\` read back
    for check in (run_mypy(tmp_path, "-p", "pkg"), run_ruff(tmp_path, "pkg")):
        assert check.returncode == 0, check.stdout + check.stderr


def test_importing_a_model_leaves_its_table_unparsed(tmp_path: Path) -> None:
    build(small_model(), tmp_path)
    script = (
        "import pkg._runtime as rt\n"
        "from pkg import DriveItem\n"
        "assert rt._PLANS == {}, rt._PLANS\n"
        "DriveItem.from_dict({'name': 'x'})\n"
        "assert list(rt._PLANS) == [DriveItem]\n"
        "assert [w for w, _, _ in rt._PLANS[DriveItem].fields][:3] == ['id', 'name', 'size']\n"
    )
    result = run_python(tmp_path, script)
    assert result.returncode == 0, result.stderr
