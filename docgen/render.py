"""Render stage: turn the resolved model into Python source text, one module per type.

All emitted Python syntax lives in ``templates/*.j2``; this module only decides
*what* goes where (module paths, import lists, local names) and hands plain data
to the templates, so a user can restyle the output with ``--templates DIR``
without touching code.
"""

from __future__ import annotations

import dataclasses
import keyword
import re
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from docgen.format import LINE_LENGTH
from docgen.model import EnumMember, Model, Property, TypeDef
from docgen.names import RUNTIME_API

if TYPE_CHECKING:
    import jinja2

# Jinja2 is imported when an environment is made: a build answered from the cache
# needs only BUILTIN_TEMPLATES from this module.


def _builtin_templates() -> Path:
    """The built-in templates: package data (`docgen/templates/`, which a build copies
    from the top-level `templates/`), found through importlib.resources so that any
    install works (`--user`, `--target`, a wheel); in a checkout or an editable
    install, where the package has no such folder, the top-level `templates/` itself."""
    shipped = resources.files("docgen") / "templates"
    if isinstance(shipped, Path) and shipped.is_dir():
        return shipped
    return Path(__file__).resolve().parent.parent / "templates"


BUILTIN_TEMPLATES = _builtin_templates()

# Template names; a user's templates directory may override any of them.
MODEL_TEMPLATE = "model.py.j2"
ENUM_TEMPLATE = "enum.py.j2"
INIT_TEMPLATE = "package_init.py.j2"
RUNTIME_TEMPLATE = "runtime.py.j2"
RUNTIME_MODULE = "_runtime"  # names.RESERVED_MODULES keeps types off this name
ODATA_TEMPLATE = "odata.py.j2"
ODATA_MODULE = "_odata"  # pages and error bodies; type modules never start with `_`
# The runtime API names that live in `_odata` rather than `_runtime`.
ODATA_EXPORTS = frozenset({"ODataError", "Page", "page_from_dict"})
REGISTRY_TEMPLATE = "registry.py.j2"
REGISTRY_MODULE = "_registry"  # type modules are snake_case words: never `_registry`
# What the root package re-exports from `_runtime` (lazily, like the models).
RUNTIME_EXPORTS = RUNTIME_API  # names.py keeps classes and modules off these
EDM_TABLE = "edm.j2"

# Names an Enum body refuses (or that would shadow the `str`/`Enum` API) as members.
_ENUM_RESERVED = frozenset({"mro", "name", "value"}) | frozenset(dir(str))


@dataclasses.dataclass(frozen=True)
class ModuleJob:
    """One type's module and everything its template can see besides the options.

    `refs` are the model's types the module names (its base and property types,
    looked up by qualified name), so a job renders the same anywhere: in a
    worker process, or from a cache keyed by it (docgen/pipeline.py).
    """

    path: str
    type: TypeDef
    refs: tuple[TypeDef, ...] = ()
    missing: tuple[str, ...] = ()  # names the type uses that the model lacks (an error)


def _used_names(t: TypeDef) -> set[str]:
    """Every qualified name `_model_context` may look up for `t` (a superset)."""
    if t.kind == "enum":
        return set()
    names = {p.enum or p.type for p in t.properties}
    if t.base:
        names.add(t.base)
    return {n for n in names if not n.startswith("Edm.")}


def plan(
    model: Model, package: str
) -> tuple[list[ModuleJob], dict[tuple[str, ...], list[TypeDef]]]:
    """The type modules to render, in path order, and the packages that hold them.

    Checks what makes a module path unusable; rendering checks the rest.
    """
    if not package.isidentifier() or keyword.iskeyword(package):
        raise ValueError(f"package name {package!r} is not a valid Python identifier")
    by_name = model.by_qualified()
    types = sorted(model.types, key=lambda t: (t.py_module, t.qualified))
    jobs: list[ModuleJob] = []
    paths: set[str] = set()
    packages: dict[tuple[str, ...], list[TypeDef]] = {(): []}
    for t in types:
        parts = tuple(t.py_module.split("."))
        if not all(
            p.isidentifier() and not keyword.iskeyword(p) and p != "__init__" for p in parts
        ):
            raise ValueError(f"{t.qualified}: module path {t.py_module!r} is not importable")
        path = _module_path(package, parts)
        if path in paths:
            raise ValueError(f"{t.qualified}: module {t.py_module!r} is used by two types")
        paths.add(path)
        for i in range(len(parts)):
            packages.setdefault(parts[:i], [])
        packages[parts[:-1]].append(t)
        if t.kind == "enum" and not t.members:
            # Python cannot call an Enum without members, so `_missing_` could
            # never keep a value: the resolver must not hand us one.
            raise ValueError(f"{t.qualified}: enum has no members")
        names = sorted(_used_names(t))
        jobs.append(
            ModuleJob(
                path,
                t,
                tuple(by_name[n] for n in names if n in by_name),
                tuple(n for n in names if n not in by_name),
            )
        )
    return jobs, packages


class Renderer:
    """The templates of one package, loaded once per process (a worker makes its own)."""

    def __init__(self, package: str, templates: Path | None = None) -> None:
        self.package = package
        self.env = make_environment(templates)
        self._edm: tuple[Any, ...] | None = None

    def edm(
        self,
    ) -> tuple[Mapping[str, tuple[str, str]], tuple[str, str], tuple[str, str], frozenset[str]]:
        """The Edm table (types, fallback, collection, untyped), loaded on first use: a
        build whose modules all come from the cache compiles no template."""
        if self._edm is None:
            edm = vars(self.env.get_template(EDM_TABLE).module)
            self._edm = (
                edm["types"],
                edm["fallback"],
                edm["collection"],
                frozenset(edm["untyped"]),
            )
        return self._edm

    def module(self, job: ModuleJob) -> str:
        """The source text of one type's module (not yet formatted)."""
        t = job.type
        runtime = relative_module(t.py_module, RUNTIME_MODULE)
        if t.kind == "enum":
            return self.env.get_template(ENUM_TEMPLATE).render(
                type=t,
                cls=t.py_class,
                members=_enum_members(t.members),
                runtime=runtime,
                package=self.package,
                module=t.py_module,
            )
        by_name = {r.qualified: r for r in job.refs}
        context = _model_context(t, by_name, *self.edm())
        return self.env.get_template(MODEL_TEMPLATE).render(
            type=t, package=self.package, module=t.py_module, runtime=runtime, **context
        )

    def runtime_path(self) -> str:
        return _module_path(self.package, (RUNTIME_MODULE,))

    def runtime(self) -> str:
        """``_runtime``: the same for every model, so a build can make it early."""
        return self.env.get_template(RUNTIME_TEMPLATE).render(package=self.package)

    def package_files(
        self,
        model: Model,
        packages: Mapping[tuple[str, ...], list[TypeDef]],
        with_runtime: bool = True,
    ) -> dict[str, str]:
        """The packages' ``__init__``, ``_runtime`` (unless not `with_runtime`), ``_registry``
        and ``py.typed``."""
        from docgen.names import dunder_all_order

        package, env = self.package, self.env
        files: dict[str, str] = {}
        modules = {_module_path(package, tuple(t.py_module.split("."))) for t in model.types}
        for pkg_parts, members in sorted(packages.items()):
            path = "/".join((package, *pkg_parts, "__init__.py"))
            if _module_path(package, pkg_parts) in modules:
                raise ValueError(f"module {'.'.join(pkg_parts)!r} clashes with a subpackage")
            exports = sorted(
                ({"cls": t.py_class, "module": "." + t.py_module.split(".")[-1]} for t in members),
                key=lambda e: import_order(e["module"]),
            )
            names = [e["cls"] for e in exports]
            if len(set(names)) != len(names):
                raise ValueError(
                    f"package {'.'.join((package, *pkg_parts))}: duplicate class names"
                )
            if not pkg_parts:
                clash = set(names) & set(RUNTIME_EXPORTS)
                if clash:
                    raise ValueError(f"class {min(clash)!r} clashes with the package's runtime API")
                runtime = "." + RUNTIME_MODULE
                api = [
                    {"cls": n, "module": "." + ODATA_MODULE if n in ODATA_EXPORTS else runtime}
                    for n in RUNTIME_EXPORTS
                ]
                exports = sorted(api, key=lambda e: import_order(e["module"])) + exports
            files[path] = env.get_template(INIT_TEMPLATE).render(
                exports=exports,
                names=dunder_all_order(e["cls"] for e in exports),
                package=".".join((package, *pkg_parts)),
                root=not pkg_parts,
            )
        runtime_path = _module_path(package, (RUNTIME_MODULE,))
        if runtime_path in modules:
            raise ValueError(f"module {RUNTIME_MODULE!r} is reserved for the package's runtime")
        if with_runtime:
            files[runtime_path] = self.runtime()
        odata_path = _module_path(package, (ODATA_MODULE,))
        if odata_path in modules:
            raise ValueError(f"module {ODATA_MODULE!r} is reserved for the package's runtime")
        files[odata_path] = env.get_template(ODATA_TEMPLATE).render(package=package)
        registry_path = _module_path(package, (REGISTRY_MODULE,))
        if registry_path in modules:
            raise ValueError(f"module {REGISTRY_MODULE!r} is reserved for the package's registry")
        files[registry_path] = env.get_template(REGISTRY_TEMPLATE).render(
            package=package,
            types=[
                {"name": t.qualified, "module": t.py_module, "cls": t.py_class}
                for t in sorted(model.types, key=lambda t: t.qualified)
            ],
        )
        files[f"{package}/py.typed"] = ""
        return files


def render(model: Model, package: str, templates: Path | None = None) -> dict[str, str]:
    """Render every module of the generated package.

    Returns POSIX paths relative to the output folder (``graph_models/x.py``)
    mapped to source text (not yet formatted). Same model, same bytes.
    docgen/pipeline.py does the same in parts (in workers, from a cache).
    """
    if not package.isidentifier() or keyword.iskeyword(package):
        raise ValueError(f"package name {package!r} is not a valid Python identifier")
    renderer = Renderer(package, templates)
    renderer.edm()  # a broken Edm table fails here, before any module
    jobs, packages = plan(model, package)
    files = {job.path: renderer.module(job) for job in jobs}
    files.update(renderer.package_files(model, packages))
    return dict(sorted(files.items()))


def make_environment(templates: Path | None = None) -> jinja2.Environment:
    """The Jinja environment: user templates first, then the built-in ones.

    The built-ins are also reachable as ``builtin/<name>``, so an override can
    wrap the original (``{% include "builtin/model.py.j2" %}``) instead of copying it.
    """
    if templates is not None and not templates.is_dir():
        # A mistyped --templates must not silently fall back to the built-in look.
        raise ValueError(f"templates folder {templates} does not exist")
    import jinja2

    search = [str(templates)] if templates is not None else []
    search.append(str(BUILTIN_TEMPLATES))
    builtin = jinja2.PrefixLoader({"builtin": jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES))})
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(search), builtin]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["docstring"] = docstring
    env.filters["pystr"] = pystr
    env.filters["cell"] = cell
    # Templates write lines that fit black's limit, so black has nothing to redo.
    env.globals["line_length"] = LINE_LENGTH
    return env


# --- text escaping: descriptions are data and must never break the module ---


def _escape_char(ch: str) -> str:
    """One character as it may appear inside a Python string literal."""
    if ch == "\\":
        return "\\\\"
    if ch == "\t":
        return "\\t"
    if ch == " " or ch.isprintable():
        return ch
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def pystr(text: str) -> str:
    """A Python literal whose value is exactly `text`.

    Printable non-ASCII stays readable; control characters, lone surrogates and
    other invisible code points are escaped, so the file is always valid UTF-8.
    Quoted as black would quote it (double quotes unless single quotes need
    fewer escapes), so black has nothing to change.
    """
    quote = "'" if text.count("'") < text.count('"') else '"'
    if text.isprintable() and quote not in text and "\\" not in text:
        return quote + text + quote  # the common case: nothing to escape
    body = "".join("\\" + ch if ch == quote else _escape_char(ch) for ch in text)
    return quote + body + quote


def cell(text: str) -> str:
    """`text` as one cell of a text table inside a triple-quoted literal.

    The runtime splits such tables at whitespace, so a cell holding whitespace
    (or none at all) could not be read back: it is refused. Backslashes, quotes
    and invisible characters are escaped, so the literal's value is `text`.
    """
    if text.split() != [text]:
        raise ValueError(f"{text!r} cannot be a table cell: it is empty or holds whitespace")
    return "".join("\\" + ch if ch == '"' else _escape_char(ch) for ch in text)


def clean_doc(text: str) -> str:
    """Normalize description text for a docstring.

    Unifies line ends, drops trailing whitespace on each line and blank lines
    around the text, and replaces lone surrogates with U+FFFD (CPython cannot
    store them as a class ``__doc__``: the class statement itself would fail).
    This is the value :func:`docstring` promises to keep.
    """
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def _wrap(line: str, width: int) -> list[str]:
    """Greedy wrap on single spaces; indented (preformatted) lines stay as they are."""
    if len(line) <= width or line[:1].isspace():
        return [line]
    out: list[str] = []
    current = ""
    for word in line.split(" "):
        if current and len(current) + 1 + len(word) > width:
            out.append(current.rstrip(" "))
            current = word
        else:
            current = f"{current} {word}" if current else word
    out.append(current.rstrip(" "))
    return [piece for piece in out if piece] or [line]


def docstring(text: str, indent: int = 4, width: int | None = 88) -> str:
    """A triple-quoted literal for `text`, safe for any input.

    The literal's value is ``clean_doc(text)`` with lines after the first
    prefixed by `indent` spaces (PEP 257 layout, closing quotes on their own
    line when there are several lines). With `width`, long lines are wrapped at
    spaces. Quotes, backslashes, control characters, lone surrogates and
    template syntax come out as inert data, and black leaves the value alone:
    the only raw whitespace is spaces and newlines, and the text never starts or
    ends with a quote or an odd backslash.
    """
    pad = " " * indent
    lines: list[str] = []
    for line in clean_doc(text).split("\n"):
        lines.extend(_wrap(line, width - indent - 3) if width else [line])
    # black re-indents by the smallest margin of the continuation lines; keep it at
    # `indent` by escaping one leading space when every such line is indented.
    rest = [i for i, line in enumerate(lines) if i and line]
    pin = rest[0] if rest and all(lines[i].startswith(" ") for i in rest) else None
    flat = "\n".join(lines)
    out: list[str] = []
    pos = 0  # where the current line starts in `flat`
    for line_no, line in enumerate(lines):
        if line_no:
            out.append("\n" + (pad if line else ""))
        start = 0
        if line_no == pin and line:
            out.append("\\x20")
            start = 1
        seg = line[start:]
        if seg.isprintable() and '"' not in seg and "\\" not in seg:
            out.append(seg)  # the common case: nothing to escape
        else:
            for j, ch in enumerate(seg):
                i = pos + start + j
                if ch == '"':
                    last = i == len(flat) - 1
                    out.append("\\x22" if last else '\\"' if i == 0 or flat[i + 1] == '"' else '"')
                else:
                    out.append(_escape_char(ch))
        pos += len(line) + 1
    body = "".join(out)
    if len(lines) > 1:
        body += "\n" + pad
    return '"""' + body + '"""'


# --- per-module data for the templates ---


def import_order(module: str) -> tuple[int, tuple[tuple[int, int | str], ...]]:
    """Sort key for relative imports as isort/ruff order them.

    Furthest parent first, then natural order (``type_9`` before ``type_10``),
    so generated modules also pass the ``I`` lint rules.
    """
    level = len(module) - len(module.lstrip("."))
    chunks = re.split(r"(\d+)", module[level:].lower())
    return -level, tuple((1, int(c)) if c.isdigit() else (0, c) for c in chunks)


def _module_path(package: str, parts: Iterable[str]) -> str:
    return str(PurePosixPath(package, *parts)) + ".py"


def relative_module(from_module: str, to_module: str) -> str:
    """The relative import path from one generated module to another."""
    here = from_module.split(".")[:-1]
    there = to_module.split(".")
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    return "." * (len(here) - common + 1) + ".".join(there[common:])


def _local_names(own: str, refs: list[TypeDef]) -> dict[str, str]:
    """A clash-free local name for each referenced type (qualified -> name).

    Classes are unique per package, not across packages, so a module that uses
    two ``Session`` classes imports one under an alias named after its package.
    """
    taken = {own}
    names: dict[str, str] = {}
    for ref in refs:
        name = ref.py_class
        if name in taken:
            parts = ref.py_module.split(".")[:-1] or ["root"]
            prefix = "".join(w[:1].upper() + w[1:] for p in parts for w in p.split("_"))
            name = candidate = prefix + ref.py_class
            n = 2
            while name in taken:
                name = f"{candidate}{n}"
                n += 1
        taken.add(name)
        names[ref.qualified] = name
    return names


def _model_context(
    t: TypeDef,
    by_name: Mapping[str, TypeDef],
    edm_types: Mapping[str, tuple[str, str]],
    edm_fallback: tuple[str, str],
    edm_collection: tuple[str, str],
    edm_untyped: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Template variables for one entity/complex module."""
    # A `String` property whose listed values imply an enum is typed by that enum;
    # one of a type that stands for any JSON (edm.j2 `untyped`) is Edm.Untyped.
    properties = tuple(
        dataclasses.replace(
            p, type="Edm.Untyped" if (p.enum or p.type) in edm_untyped else p.enum or p.type
        )
        for p in t.properties
    )

    def lookup(name: str, what: str) -> TypeDef:
        target = by_name.get(name)
        if target is None:
            raise ValueError(f"{t.qualified}: {what} {name!r} is not in the model")
        return target

    base = lookup(t.base, "base type") if t.base else None
    referenced = {
        p.type: lookup(p.type, f"type of {p.name!r}")
        for p in properties
        if not p.type.startswith("Edm.")
    }
    referenced.pop(t.qualified, None)
    ordered = sorted(referenced.values(), key=lambda r: (r.py_module, r.py_class))
    if base is not None:
        ordered = [base] + [r for r in ordered if r.qualified != base.qualified]
    here = t.py_module.rpartition(".")[0]
    # Types from this module's own package keep their plain names when two clash.
    local = _local_names(
        t.py_class, sorted(ordered, key=lambda r: r.py_module.rpartition(".")[0] != here)
    )
    local[t.qualified] = t.py_class

    def ref(r: TypeDef) -> dict[str, str]:
        return {
            "cls": r.py_class,
            "local": local[r.qualified],
            "module": relative_module(t.py_module, r.py_module),
        }

    shadowed = {p.py_name for p in properties}
    used: set[tuple[str, str]] = set()
    for p in properties:
        if p.type.startswith("Edm."):
            module, name = edm_types.get(p.type, edm_fallback)
            used.add((module, name))
        elif by_name.get(p.type) is not None and by_name[p.type].kind == "enum":
            used.add(("builtins", "str"))  # open enums are typed `X | str`
        if p.collection:
            module, name = edm_collection
            used.add((module, name))
    imports = {mod for mod, _ in used if mod != "builtins"}
    if any(mod == "builtins" and name in shadowed for mod, name in used):
        imports.add("builtins")

    return {
        "cls": t.py_class,
        "base": ref(base) if base is not None else None,
        "refs": sorted(
            (ref(r) for r in ordered if base is None or r.qualified != base.qualified),
            key=lambda r: import_order(r["module"]),
        ),
        "fields": [
            {
                "py_name": p.py_name,
                "name": p.name,
                "type": p.type,
                "collection": p.collection,
                "ref": None if p.type.startswith("Edm.") else local[p.type],
                # An open enum's annotation admits any string, so type checkers
                # do not take its members as all the values there are.
                "open_enum": not p.type.startswith("Edm.")
                and lookup(p.type, "type").kind == "enum",
                "flags": _flags(p),
                "description": p.description,
            }
            for p in properties
        ],
        "imports": sorted(imports),
        "shadowed": sorted(shadowed),
    }


def _flags(p: Property) -> str:
    """The fourth cell of a `_fields_` row: what the docs say of the property."""
    words = []
    if p.read_only:
        words.append("readonly")
    if p.navigation:
        words.append("navigation")
    if p.nullable is not None:
        words.append("nullable" if p.nullable else "notnull")
    return ",".join(words)


def _enum_members(members: Iterable[EnumMember]) -> list[dict[str, str]]:
    """Members with names an Enum body accepts, still unique."""
    out: list[dict[str, str]] = []
    taken: set[str] = set()
    for m in members:
        name = m.py_name
        if name.startswith("_") or name in _ENUM_RESERVED or keyword.iskeyword(name):
            name = "MEMBER_" + name.strip("_") if name.startswith("_") else name + "_"
        if not name.isidentifier():
            name = "MEMBER"
        base, n = name, 2
        while name in taken:
            name = f"{base}_{n}"
            n += 1
        taken.add(name)
        out.append({"py_name": name, "name": m.name, "description": m.description})
    return out
