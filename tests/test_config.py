"""`[tool.docgen]` in the nearest pyproject.toml: found upwards, paths relative to it,
flags win, unknown keys and wrong types fail naming the key.

`config.load` is tested directly; the end-to-end cases run `python -m docgen`
bare in a project whose pyproject.toml holds nothing but `[tool.docgen]`.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from cli_run import docgen

from docgen import config

ENTITY = """\
# entity resource type

<!-- {"blockType": "resource", "@odata.type": "microsoft.graph.entity", "keyProperty": "id"} -->

## Properties

| Property | Type | Description |
|:--|:--|:--|
| id | String | The identifier. |
"""

GADGET = """\
# gadget resource type

Inherits from [entity](entity.md).

## Properties

| Property | Type | Description |
|:--|:--|:--|
| name | String | The name. |
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# --- config.load ---


def test_found_from_a_subfolder_with_paths_relative_to_the_file(tmp_path: Path) -> None:
    pyproject = write(
        tmp_path / "pyproject.toml",
        """\
        [tool.docgen]
        docs = ["docs/a", "docs/b"]
        output = "build/gen"
        package = "my_models"
        templates = "tpl"
        """,
    )
    deep = tmp_path / "x" / "y"
    deep.mkdir(parents=True)
    cfg = config.load(deep)
    assert cfg == config.Config(
        docs=(tmp_path / "docs/a", tmp_path / "docs/b"),
        output=tmp_path / "build/gen",
        package="my_models",
        templates=tmp_path / "tpl",
        source=pyproject,
    )


def test_docs_may_be_one_string(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.docgen]\ndocs = "pages"\n')
    assert config.load(tmp_path).docs == (tmp_path / "pages",)


def test_the_nearest_pyproject_wins_even_without_a_docgen_table(tmp_path: Path) -> None:
    """A nested project is its own project: the outer table does not leak into it."""
    write(tmp_path / "pyproject.toml", '[tool.docgen]\ndocs = "outer"\n')
    inner = write(tmp_path / "inner" / "pyproject.toml", '[project]\nname = "inner"\n')
    cfg = config.load(tmp_path / "inner")
    assert cfg == config.Config(source=inner)


def test_no_pyproject_anywhere_gives_empty_defaults(tmp_path: Path) -> None:
    if config.find_pyproject(tmp_path) is not None:
        pytest.skip("a pyproject.toml above the temporary folder")
    assert config.load(tmp_path) == config.Config()


def test_unknown_key_names_the_key_its_line_and_a_suggestion(tmp_path: Path) -> None:
    path = write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.docgen]\ndocs = "docs"\noutptu = "out"\n',
    )
    with pytest.raises(config.ConfigError) as err:
        config.load(tmp_path)
    message = str(err.value)
    assert message.startswith(f"{path}:6: unknown key 'outptu' in [tool.docgen]")
    assert "did you mean 'output'?" in message


def test_unknown_subtable_is_an_unknown_key(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", '[tool.docgen]\ndocs = "d"\n\n[tool.docgen.extra]\n')
    with pytest.raises(config.ConfigError, match="unknown key 'extra'") as err:
        config.load(tmp_path)
    assert str(err.value).startswith(f"{path}:4:")


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("docs = 3", "docs"),
        ('docs = ["a", 1]', "docs"),
        ("output = 1", "output"),
        ('package = ["a"]', "package"),
        ("templates = false", "templates"),
        ("root-entity = 1", "root-entity"),
        ('root-entity = "entity"', "root-entity"),
        ('root-entity = "a.b c"', "root-entity"),
    ],
)
def test_wrong_value_types_name_the_key(tmp_path: Path, body: str, key: str) -> None:
    write(tmp_path / "pyproject.toml", f"[tool.docgen]\n{body}\n")
    with pytest.raises(config.ConfigError, match=rf"\[tool.docgen\] {key} must be"):
        config.load(tmp_path)


def test_root_entity_is_read_and_its_bad_value_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", '[tool.docgen]\nroot-entity = " contoso.base "\n')
    assert config.load(tmp_path).root_entity == "contoso.base"
    write(path, '[tool.docgen]\ndocs = "d"\nroot-entity = "base"\n')
    with pytest.raises(config.ConfigError) as err:
        config.load(tmp_path)
    assert str(err.value).startswith(f"{path}:3: [tool.docgen] root-entity must be")
    write(path, '[tool.docgen]\ndocs = "d"\n')
    assert config.load(tmp_path).root_entity is None


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", "[tool.docgen\ndocs = \n")
    with pytest.raises(config.ConfigError, match="cannot read") as err:
        config.load(tmp_path)
    assert str(path) in str(err.value)


def test_docgen_that_is_not_a_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool]\ndocgen = "yes"\n')
    with pytest.raises(config.ConfigError, match="must be a table"):
        config.load(tmp_path)


# --- end to end: a project configured by [tool.docgen] alone ---


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    write(root / "pages" / "entity.md", ENTITY)
    write(root / "pages" / "gadget.md", GADGET)
    write(
        root / "pyproject.toml",
        '[tool.docgen]\ndocs = "pages"\noutput = "models"\npackage = "proj_models"\n',
    )
    return root


def test_bare_build_and_check_in_a_configured_project(project: Path) -> None:
    (project / "src").mkdir()
    build = docgen("build", cwd=project / "src")  # from a subfolder: found upwards
    assert build.returncode == 0, build.stderr
    package = project / "models" / "proj_models"
    assert (package / "gadget.py").is_file() and (package / "entity.py").is_file()
    assert "class Gadget(Entity)" in (package / "gadget.py").read_text(encoding="utf-8")

    check = docgen("check", cwd=project)
    assert check.returncode == 0, check.stdout + check.stderr

    (package / "gadget.py").unlink()
    drift = docgen("check", cwd=project)
    assert drift.returncode == 1
    assert "gadget.py" in drift.stdout


def test_flags_override_the_config(project: Path, tmp_path: Path) -> None:
    other_docs = write(tmp_path / "other" / "entity.md", ENTITY).parent
    run = docgen("build", other_docs, "-o", "flagged", "--package", "flag_models", cwd=project)
    assert run.returncode == 0, run.stderr
    package = project / "flagged" / "flag_models"  # -o is relative to the working directory
    assert (package / "entity.py").is_file()
    assert not (package / "gadget.py").exists()  # DOCS replaced the configured docs
    assert not (project / "models").exists()  # nothing went to the configured output
    check = docgen("check", other_docs, "-o", "flagged", "--package", "flag_models", cwd=project)
    assert check.returncode == 0, check.stdout + check.stderr


def test_configured_templates_apply_and_the_flag_overrides_them(project: Path) -> None:
    write(project / "tpl" / "package_init.py.j2", '"""Configured init."""\n')
    write(project / "tpl2" / "package_init.py.j2", '"""Flag init."""\n')
    with (project / "pyproject.toml").open("a", encoding="utf-8") as f:
        f.write('templates = "tpl"\n')
    init = project / "models" / "proj_models" / "__init__.py"
    assert docgen("build", cwd=project).returncode == 0
    assert init.read_text(encoding="utf-8") == '"""Configured init."""\n'
    assert docgen("build", "--templates", "tpl2", cwd=project).returncode == 0
    assert init.read_text(encoding="utf-8") == '"""Flag init."""\n'


def test_unknown_key_fails_with_its_name(project: Path) -> None:
    with (project / "pyproject.toml").open("a", encoding="utf-8") as f:
        f.write('packgae = "typo"\n')
    for command in ("build", "check"):
        run = docgen(command, cwd=project)
        assert run.returncode == 2
        assert "unknown key 'packgae'" in run.stderr
        assert "did you mean 'package'?" in run.stderr
        assert "Traceback" not in run.stderr
    assert not (project / "models").exists()


WIDGET = """\
# widget resource type

<!-- {"blockType": "resource", "@odata.type": "microsoft.graph.widget", "keyProperty": "id"} -->

## Properties

| Property | Type | Description |
|:--|:--|:--|
| id | String | The identifier. |
| size | Int32 | The size. |
"""


def test_configured_root_entity_is_the_base_of_entity_pages_that_name_none(project: Path) -> None:
    write(project / "pages" / "widget.md", WIDGET)
    module = project / "models" / "proj_models" / "widget.py"
    assert docgen("build", cwd=project).returncode == 0
    assert "class Widget(Entity)" in module.read_text(encoding="utf-8")  # the default root
    with (project / "pyproject.toml").open("a", encoding="utf-8") as f:
        f.write('root-entity = "microsoft.graph.gadget"\n')
    build = docgen("build", cwd=project)
    assert build.returncode == 0, build.stderr
    assert "class Widget(Gadget)" in module.read_text(encoding="utf-8")
    parsed = docgen("parse", "--json", cwd=project)
    assert '"base": "microsoft.graph.gadget"' in parsed.stdout


def test_missing_templates_folder_is_a_usage_error(project: Path) -> None:
    with (project / "pyproject.toml").open("a", encoding="utf-8") as f:
        f.write('templates = "no-such-templates"\n')
    run = docgen("build", cwd=project)
    assert run.returncode == 2
    assert "no-such-templates" in run.stderr
    assert not (project / "models").exists()
