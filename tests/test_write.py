"""Write stage: atomic replacement of the package folder, path safety, drift reports."""

from __future__ import annotations

import hashlib
import os
import py_compile
from pathlib import Path

import pytest

from docgen import write
from docgen.write import Drift, compare_tree, write_tree

PKG = "pkg"


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file (bytes) and folder (None) under `root`, for exact before/after checks."""
    found: dict[str, bytes | None] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        base = Path(dirpath)
        for d in dirnames:
            found[(base / d).relative_to(root).as_posix()] = None
        for f in filenames:
            found[(base / f).relative_to(root).as_posix()] = (base / f).read_bytes()
    return found


def sample() -> dict[str, str]:
    return {
        "pkg/__init__.py": "from .a import A\n",
        "pkg/a.py": "class A:\n    pass\n",
        "pkg/sub/__init__.py": "",
        "pkg/sub/b.py": "b = 'café 🚀'\n",
        "pkg/py.typed": "",
    }


def on_disk(files: dict[str, str]) -> dict[str, bytes]:
    """What a build of `files` leaves in the package folder: the files and the manifest."""
    found = {k: v.encode("utf-8") for k, v in files.items()}
    lines = ["# docgen: files it wrote here (sha256, path); build removes only these\n"]
    for path in sorted(found):
        lines.append(f"{hashlib.sha256(found[path]).hexdigest()}  {path.split('/', 1)[1]}\n")
    found[f"{PKG}/.docgen-manifest"] = "".join(lines).encode()
    return found


def test_fresh_write_creates_exactly_the_files(tmp_path: Path) -> None:
    files = sample()
    result = write_tree(files, tmp_path / "out", PKG)
    assert result.written == len(files)
    assert result.unchanged == 0 and result.removed == 0
    tree = snapshot(tmp_path / "out")
    written = {k: v for k, v in tree.items() if v is not None}
    assert written == on_disk(files)
    assert set(tree) - set(written) == {"pkg", "pkg/sub"}


def test_newlines_are_written_verbatim(tmp_path: Path) -> None:
    write_tree({"pkg/a.py": "x = 1\ny = 2\n"}, tmp_path, PKG)
    assert (tmp_path / "pkg" / "a.py").read_bytes() == b"x = 1\ny = 2\n"


def test_rewrite_counts_and_removes_stale_files(tmp_path: Path) -> None:
    write_tree(sample(), tmp_path, PKG)
    (tmp_path / "pkg" / "sub" / "__pycache__").mkdir()
    (tmp_path / "pkg" / "sub" / "__pycache__" / "b.cpython-311.pyc").write_bytes(b"\0")

    again = write_tree(sample(), tmp_path, PKG)
    assert (again.written, again.unchanged, again.removed) == (0, len(sample()), 0)

    files = sample()
    files["pkg/a.py"] = "class A:\n    x = 1\n"  # changed
    del files["pkg/sub/b.py"]  # removed
    files["pkg/sub/c.py"] = "c = 1\n"  # new
    result = write_tree(files, tmp_path, PKG)
    assert (result.written, result.unchanged, result.removed) == (2, len(files) - 2, 1)
    found = {k: v for k, v in snapshot(tmp_path).items() if v is not None}
    assert found == on_disk(files)


def test_only_the_package_folder_is_touched(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    (tmp_path / "pkg_other").mkdir()
    (tmp_path / "pkg_other" / "x.py").write_text("x = 1\n")
    (tmp_path / ".hidden").write_text("h")
    others = snapshot(tmp_path)
    write_tree(sample(), tmp_path, PKG)
    write_tree({"pkg/only.py": "o = 1\n"}, tmp_path, PKG)
    after = snapshot(tmp_path)
    assert {k: v for k, v in after.items() if not k.startswith("pkg/") and k != "pkg"} == others
    assert {k for k in after if k.startswith("pkg/")} == {"pkg/only.py", "pkg/.docgen-manifest"}


def test_failure_while_staging_leaves_old_tree_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(sample(), tmp_path, PKG)
    (tmp_path / "keep.txt").write_text("mine")
    before = snapshot(tmp_path)

    real = Path.write_bytes
    calls = {"n": 0}

    def flaky(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", flaky)
    new = {k: v + "# changed\n" for k, v in sample().items()}
    with pytest.raises(write.OutputError) as caught:
        write_tree(new, tmp_path, PKG)
    assert str(caught.value) == f"{tmp_path}: cannot write the package: disk full; nothing written"
    assert calls["n"] == 3
    assert snapshot(tmp_path) == before  # no staging folder left behind either


def test_failure_while_swapping_restores_old_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The two-rename fallback (no atomic exchange) puts the old tree back on failure."""
    write_tree(sample(), tmp_path, PKG)
    before = snapshot(tmp_path)
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    real = Path.rename

    def flaky(self: Path, target: str | os.PathLike[str]) -> Path:
        if ".staging-" in self.name:
            raise OSError("rename failed")
        return real(self, target)

    monkeypatch.setattr(Path, "rename", flaky)
    with pytest.raises(write.OutputError, match="rename failed"):
        write_tree({"pkg/new.py": "n = 1\n"}, tmp_path, PKG)
    assert snapshot(tmp_path) == before


def test_unencodable_text_writes_nothing(tmp_path: Path) -> None:
    write_tree(sample(), tmp_path, PKG)
    before = snapshot(tmp_path)
    with pytest.raises(UnicodeEncodeError):
        write_tree({"pkg/a.py": "x = '\ud800'\n"}, tmp_path, PKG)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "path",
    [
        "/etc/passwd",
        "/pkg/a.py",
        "../pkg/a.py",
        "pkg/../a.py",
        "pkg/sub/../../a.py",
        "pkg/..",
        "other/a.py",
        "pkg",
        "pkg/",
        "pkg//a.py",
        "pkg/./a.py",
        "./pkg/a.py",
        "pkg\\..\\a.py",
        "",
    ],
)
def test_paths_outside_the_package_are_refused(tmp_path: Path, path: str) -> None:
    write_tree(sample(), tmp_path, PKG)
    before = snapshot(tmp_path)
    with pytest.raises(ValueError):
        write_tree({**sample(), path: "x = 1\n"}, tmp_path, PKG)
    with pytest.raises(ValueError):
        compare_tree({**sample(), path: "x = 1\n"}, tmp_path, PKG)
    assert snapshot(tmp_path) == before


def test_bad_package_names_are_refused(tmp_path: Path) -> None:
    for package in ("", ".", "..", "a/b"):
        with pytest.raises(ValueError):
            write_tree({}, tmp_path, package)


def compile_like_python(module: Path) -> Path:
    """The bytecode cache Python itself writes when it imports `module`."""
    return Path(py_compile.compile(str(module), doraise=True))


def test_compare_clean_after_write(tmp_path: Path) -> None:
    write_tree(sample(), tmp_path, PKG)
    compile_like_python(tmp_path / "pkg" / "a.py")
    compile_like_python(tmp_path / "pkg" / "sub" / "b.py")
    assert (tmp_path / "pkg" / "__pycache__").is_dir()
    drift = compare_tree(sample(), tmp_path, PKG)
    assert drift.clean
    assert drift == Drift()


def test_compiled_files_python_did_not_make_are_drift(tmp_path: Path) -> None:
    write_tree(sample(), tmp_path, PKG)
    forged = compile_like_python(tmp_path / "pkg" / "a.py")
    real = (tmp_path / "pkg" / "a.py").read_text()
    (tmp_path / "pkg" / "a.py").write_text(real + "import os\n")
    compile_like_python(tmp_path / "pkg" / "a.py")  # bytecode of other code, same name
    (tmp_path / "pkg" / "a.py").write_text(real)
    (tmp_path / "pkg" / "sub" / "stray.pyc").write_bytes(b"\0")
    (tmp_path / "pkg" / "sub" / "__pycache__").mkdir()
    (tmp_path / "pkg" / "sub" / "__pycache__" / "b.cpython-311.pyc").write_bytes(b"\0")
    drift = compare_tree(sample(), tmp_path, PKG)
    name = f"pkg/__pycache__/{forged.name}"
    assert drift.extra == (name, "pkg/sub/__pycache__/b.cpython-311.pyc", "pkg/sub/stray.pyc")
    assert drift.notes == dict.fromkeys(drift.extra, "compiled Python, runs on import")
    assert not drift.changed and not drift.missing


def test_compare_reports_edited_deleted_and_extra_files(tmp_path: Path) -> None:
    write_tree(sample(), tmp_path, PKG)
    (tmp_path / "pkg" / "a.py").write_text("class A:\n    hand_edit = True\n")
    (tmp_path / "pkg" / "sub" / "b.py").unlink()
    (tmp_path / "pkg" / "sub" / "extra.py").write_text("x = 1\n")
    before = snapshot(tmp_path)

    drift = compare_tree(sample(), tmp_path, PKG)
    assert not drift.clean
    assert drift.changed == ("pkg/a.py",)
    assert drift.missing == ("pkg/sub/b.py",)
    assert drift.extra == ("pkg/sub/extra.py",)
    assert "pkg/a.py" in drift.diff
    assert "-    hand_edit = True\n" in drift.diff
    assert "+    pass\n" in drift.diff
    assert snapshot(tmp_path) == before  # compare writes nothing


def test_compare_when_nothing_is_on_disk(tmp_path: Path) -> None:
    drift = compare_tree(sample(), tmp_path / "absent", PKG)
    assert drift.missing == tuple(sorted([*sample(), "pkg/.docgen-manifest"]))
    assert not drift.changed and not drift.extra and not drift.clean
    assert not (tmp_path / "absent").exists()


def test_diff_is_bounded_with_a_note(tmp_path: Path) -> None:
    files = {f"pkg/m{i}.py": "".join(f"x{j} = {j}\n" for j in range(50)) for i in range(10)}
    write_tree(files, tmp_path, PKG)
    edited = {k: v.replace(" = ", " == ") for k, v in files.items()}
    full = compare_tree(edited, tmp_path, PKG, max_diff_lines=10**9)
    total = len(full.diff.splitlines())
    assert "more lines cut" not in full.diff
    assert total > 100

    cut = compare_tree(edited, tmp_path, PKG, max_diff_lines=100)
    lines = cut.diff.splitlines()
    assert len(lines) == 101
    assert lines[:100] == full.diff.splitlines()[:100]
    assert lines[-1] == f"... {total - 100} more lines cut"
    assert cut.changed == full.changed == tuple(sorted([*files, "pkg/.docgen-manifest"]))


def test_staging_happens_inside_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The staged tree sits next to the target, so the swap is a same-filesystem rename."""
    seen: list[Path] = []
    real = write._swap

    def spy(staging: Path, target: Path, out: Path, package: str) -> None:
        seen.append(staging)
        assert staging.parent == out and staging.is_dir()
        real(staging, target, out, package)

    monkeypatch.setattr(write, "_swap", spy)
    write_tree(sample(), tmp_path, PKG)
    assert len(seen) == 1 and not seen[0].exists()


def _mtimes(root: Path) -> dict[str, int]:
    return {
        p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()
    }


def _age(root: Path) -> None:
    """Set every file's mtime an hour back, so a rewrite would be visible."""
    for p in root.rglob("*"):
        if p.is_file():
            st = p.stat()
            os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns - 3600 * 10**9))


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_unchanged_files_keep_their_mtime(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    if not exchange:
        monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    write_tree(sample(), tmp_path, PKG)
    _age(tmp_path / PKG)
    before = _mtimes(tmp_path / PKG)

    files = sample()
    files["pkg/a.py"] = "class A:\n    x = 1\n"
    files["pkg/sub/new.py"] = "n = 1\n"
    del files["pkg/py.typed"]
    result = write_tree(files, tmp_path, PKG)
    assert (result.written, result.unchanged, result.removed) == (2, 3, 1)

    after = _mtimes(tmp_path / PKG)
    assert set(after) == {k.removeprefix("pkg/") for k in files} | {".docgen-manifest"}
    for rel in ("__init__.py", "sub/__init__.py", "sub/b.py"):
        assert after[rel] == before[rel], rel
    assert after["a.py"] > before["a.py"]
    assert (tmp_path / "pkg" / "a.py").read_text() == files["pkg/a.py"]
    assert {p.name for p in tmp_path.iterdir()} == {PKG}  # no staging or old tree left


def test_up_to_date_write_touches_nothing(tmp_path: Path) -> None:
    write_tree(sample(), tmp_path, PKG)
    compile_like_python(tmp_path / "pkg" / "a.py")  # Python's own: kept
    _age(tmp_path / PKG)
    before_tree, before_times = snapshot(tmp_path), _mtimes(tmp_path / PKG)
    inode = (tmp_path / PKG).stat().st_ino

    result = write_tree(sample(), tmp_path, PKG)
    assert (result.written, result.unchanged, result.removed) == (0, len(sample()), 0)
    assert snapshot(tmp_path) == before_tree
    assert _mtimes(tmp_path / PKG) == before_times
    assert (tmp_path / PKG).stat().st_ino == inode


def test_old_tree_moved_aside_by_a_killed_run_is_restored(tmp_path: Path) -> None:
    """Killed between the fallback's two renames: no package folder, old tree aside."""
    write_tree(sample(), tmp_path, PKG)
    (tmp_path / "keep.txt").write_text("mine")
    before = snapshot(tmp_path)
    (tmp_path / PKG).rename(tmp_path / ".pkg.old-0123456789ab")
    staged = tmp_path / ".pkg.staging-ba9876543210"
    (staged / "sub").mkdir(parents=True)
    (staged / "sub" / "half.py").write_text("x = ")

    write._recover(tmp_path, PKG)
    assert snapshot(tmp_path) == before


def test_leftovers_of_a_killed_run_are_cleaned_by_the_next_write(tmp_path: Path) -> None:
    write_tree(sample(), tmp_path, PKG)
    for name in (".pkg.staging-000000000000", ".pkg.old-111111111111"):
        (tmp_path / name / "sub").mkdir(parents=True)
        (tmp_path / name / "sub" / "x.py").write_text("x = 1\n")
    (tmp_path / ".other.staging-222222222222").mkdir()  # another package's: not ours
    write_tree({"pkg/only.py": "o = 1\n"}, tmp_path, PKG)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.staging-222222222222", PKG]
    expected = on_disk({"pkg/only.py": "o = 1\n"})
    assert snapshot(tmp_path / PKG) == {k.removeprefix("pkg/"): v for k, v in expected.items()}


def test_a_symlinked_package_folder_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "elsewhere"
    write_tree(sample(), real, PKG)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / PKG).symlink_to(real / PKG)
    before = snapshot(tmp_path)
    with pytest.raises(write.OutputError) as caught:
        write_tree({"pkg/a.py": "a = 1\n"}, tmp_path / "out", PKG)
    assert caught.value.message == (
        "a symbolic link where the package folder should be; nothing written"
    )
    assert caught.value.path == tmp_path / "out" / PKG
    assert snapshot(tmp_path) == before


def test_bytecode_of_a_stale_module_goes_with_it(tmp_path: Path) -> None:
    write_tree(sample(), tmp_path, PKG)
    stale = compile_like_python(tmp_path / "pkg" / "sub" / "b.py")
    files = sample()
    del files["pkg/sub/b.py"]
    result = write_tree(files, tmp_path, PKG)
    assert (result.removed, result.kept) == (1, ())
    assert not stale.exists() and not (tmp_path / "pkg" / "sub" / "b.py").exists()


def test_an_empty_folder_where_docgen_needs_one_is_not_in_the_way(tmp_path: Path) -> None:
    write_tree({"pkg/a.py": "a = 1\n"}, tmp_path, PKG)
    (tmp_path / "pkg" / "sub").mkdir()
    result = write_tree(sample(), tmp_path, PKG)
    assert result.kept == ()
    found = {k: v for k, v in snapshot(tmp_path).items() if v is not None}
    assert found == on_disk(sample())


def test_entries_docgen_did_not_write_are_kept_and_listed(tmp_path: Path) -> None:
    write_tree(sample(), tmp_path, PKG)
    (tmp_path / "pkg" / "mine.txt").write_text("mine")
    (tmp_path / "pkg" / "sub" / "empty").mkdir()
    (tmp_path / "pkg" / "link").symlink_to(tmp_path / "pkg" / "a.py")
    files = {**sample(), "pkg/a.py": "class A:\n    changed = 1\n"}
    result = write_tree(files, tmp_path, PKG)
    assert result.kept == ("pkg/link", "pkg/mine.txt", "pkg/sub/empty")
    assert result.notes == {
        "pkg/link": "symbolic link: not followed",
        "pkg/sub/empty": "empty folder",
    }
    assert (tmp_path / "pkg" / "mine.txt").read_text() == "mine"
    assert os.readlink(tmp_path / "pkg" / "link") == str(tmp_path / "pkg" / "a.py")
    assert (tmp_path / "pkg" / "sub" / "empty").is_dir()
