"""Write stage: put the generated package on disk all at once, or compare with it.

Only ``out/<package>/`` is managed, and in it only what docgen wrote: the
manifest ``.docgen-manifest`` lists those files (with their SHA-256), and a
build removes or overwrites nothing else. Files, links, pipes and folders that
docgen did not write are kept and reported; a folder docgen did not make is not
taken over without ``force``. The package folder is treated as hostile: it is
read without following links or opening anything but regular files.

The new tree is staged next to the old one (same filesystem), unchanged and
kept entries are hard-linked from the old tree (so they keep their modification
time), and the two are exchanged in one atomic step, so a build killed at any
moment leaves the old tree or the new one, never a mix.
"""

from __future__ import annotations

import ast
import ctypes
import difflib
import errno
import hashlib
import importlib.util
import marshal
import os
import secrets
import shutil
import stat
import sys
import types
from collections.abc import Container, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .safeio import read_regular

# The list of files docgen wrote into the package folder (written last, read first).
MANIFEST = ".docgen-manifest"
MANIFEST_HEADER = "# docgen: files it wrote here (sha256, path); build removes only these\n"
# Files of a package made before the manifest existed, besides the modules `_registry.py` names.
LEGACY_FILES = ("__init__.py", "_registry.py", "_runtime.py", "py.typed")
# A file on disk is read only this far past the size of what is expected there.
READ_SLACK = 1 << 20

# What an entry of the package folder is, as reported (a regular file needs no word).
FILE, FOLDER, LINK, OTHER = "file", "folder", "link", "other"
KIND_NOTE = {
    FOLDER: "empty folder",
    LINK: "symbolic link: not followed",
    OTHER: "pipe, socket or device: not opened",
}
COMPILED_NOTE = "compiled Python, runs on import"


class OutputError(Exception):
    """The output folder cannot be written as asked; nothing was written.

    `path` is the folder or file concerned, `message` what is wrong with it
    and `hint` what the user can do (the CLI adds the command to run).
    """

    def __init__(self, path: Path, message: str, hint: str = "") -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class WriteResult:
    """What `write_tree` did, relative to the previous tree (the manifest not counted)."""

    written: int  # new or changed files
    unchanged: int
    removed: int
    kept: tuple[str, ...] = ()  # entries docgen did not write, left in place (paths as in Drift)
    notes: Mapping[str, str] = field(default_factory=dict)  # path -> what it is, if not a file


@dataclass(frozen=True)
class Drift:
    """Differences between the expected files and the tree on disk.

    Paths are POSIX, relative to the output folder, sorted. `diff` is a unified
    diff (on disk -> expected) of the changed files, cut to a bounded length.
    `notes` says what an entry is when it is not a regular file (a link, a
    pipe, an empty folder, compiled Python); such entries are never opened.
    """

    changed: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    diff: str = ""
    notes: Mapping[str, str] = field(default_factory=dict)
    foreign: tuple[str, ...] = ()  # the extra entries docgen did not write (build keeps them)

    @property
    def clean(self) -> bool:
        return not (self.changed or self.missing or self.extra)


def _relative(path: str, package: str) -> PurePosixPath:
    """`path` below the package folder; refuse anything that could escape it."""
    if not path or "\\" in path or "\0" in path:
        raise ValueError(f"refusing unsafe path {path!r}")
    pure = PurePosixPath(path)
    if pure.is_absolute() or any(part in ("..", ".", "") for part in path.split("/")):
        raise ValueError(f"refusing path {path!r}: must be relative, without '..' or '.'")
    if len(pure.parts) < 2 or pure.parts[0] != package:
        raise ValueError(f"refusing path {path!r}: outside the package folder {package!r}")
    if ":" in pure.parts[0]:
        raise ValueError(f"refusing path {path!r}")
    return PurePosixPath(*pure.parts[1:])


def _check_package(package: str) -> None:
    if not package or package in (".", "..") or "/" in package or "\\" in package:
        raise ValueError(f"invalid package folder name {package!r}")


def _validated(files: Mapping[str, str], package: str) -> dict[PurePosixPath, bytes]:
    """The files as bytes below the package folder, the manifest listing them added."""
    _check_package(package)
    out: dict[PurePosixPath, bytes] = {}
    for path, text in files.items():
        rel = _relative(path, package)
        if rel in out or rel == PurePosixPath(MANIFEST):
            raise ValueError(f"duplicate path {path!r}")
        out[rel] = text.encode("utf-8")
    dirs = {parent for rel in out for parent in rel.parents}
    clash = sorted(str(rel) for rel in out if rel in dirs)
    if clash:
        raise ValueError(f"paths used both as file and folder: {clash}")
    out[PurePosixPath(MANIFEST)] = manifest_bytes(out)
    return out


def manifest_bytes(contents: Mapping[PurePosixPath, bytes]) -> bytes:
    """The manifest of `contents`: one `sha256  path` line per file, sorted."""
    lines = [MANIFEST_HEADER]
    for rel in sorted(contents):
        if rel != PurePosixPath(MANIFEST):
            lines.append(f"{hashlib.sha256(contents[rel]).hexdigest()}  {rel}\n")
    return "".join(lines).encode("utf-8")


# --- reading the package folder without trusting it -------------------------


def _scan(root: Path) -> dict[PurePosixPath, str]:
    """Every entry under `root` that is not a non-empty folder, with its kind.

    Links are listed, never followed (a linked folder is one LINK entry);
    folders are walked through folder fds (`_walk`), so neither depth nor
    PATH_MAX limits what is seen.
    """
    found: dict[PurePosixPath, str] = {}
    try:
        if not stat.S_ISDIR(os.lstat(root).st_mode):
            return found
    except FileNotFoundError:
        return found
    if not _FD_WALK:  # pragma: no cover - no folder fds (Windows): paths, explicit stack
        return _scan_by_path(root)
    filled: set[tuple[str, ...]] = set()  # folders seen to hold something
    for kind, parts, fd, name in _walk(root):
        if parts:
            filled.add(parts)
        rel = PurePosixPath(*parts, name)
        if kind == "leave":  # the folder `name` has been walked
            if (*parts, name) not in filled:
                found[rel] = FOLDER
            continue
        try:
            mode = os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode
        except OSError:  # gone or swapped meanwhile
            found[rel] = OTHER
            continue
        found[rel] = FILE if stat.S_ISREG(mode) else LINK if stat.S_ISLNK(mode) else OTHER
    return found


def _scan_by_path(root: Path) -> dict[PurePosixPath, str]:
    """`_scan` where folders cannot be opened as fds: by path, with an explicit stack."""
    found: dict[PurePosixPath, str] = {}
    stack = [PurePosixPath()]
    while stack:
        rel = stack.pop()
        try:
            with os.scandir(root.joinpath(*rel.parts)) as entries:
                children = list(entries)
        except OSError:  # unreadable, or swapped for something else meanwhile
            found[rel] = OTHER
            continue
        if not children and rel.parts:
            found[rel] = FOLDER
        for entry in children:
            child = rel / entry.name
            if entry.is_symlink():
                found[child] = LINK
            elif entry.is_dir(follow_symlinks=False):
                stack.append(child)
            elif entry.is_file(follow_symlinks=False):
                found[child] = FILE
            else:
                found[child] = OTHER
    return found


def _read(path: Path, limit: int) -> bytes | None:
    """Up to `limit` + 1 bytes of the regular file at `path`; None if it is anything else."""
    try:
        return read_regular(path, limit)[0]
    except OSError:
        return None


def _is_compiled(rel: PurePosixPath) -> bool:
    return "__pycache__" in rel.parts or rel.suffix in (".pyc", ".pyo")


def _pyc_source(rel: PurePosixPath) -> tuple[PurePosixPath, int] | None:
    """The module and optimization level a ``__pycache__`` file of this Python is for."""
    if rel.parent.name != "__pycache__" or sys.implementation.cache_tag is None:
        return None
    name, tag = rel.name, sys.implementation.cache_tag
    for suffix, level in ((".pyc", 0), (".opt-1.pyc", 1), (".opt-2.pyc", 2)):
        stem = name.removesuffix(f".{tag}{suffix}")
        if stem != name and stem:
            return rel.parent.parent / f"{stem}.py", level
    return None


def _pythons_own(target: Path, rel: PurePosixPath, contents: Mapping[PurePosixPath, bytes]) -> bool:
    """Whether the compiled file `rel` is exactly what Python makes of a module docgen writes.

    Python runs a ``.pyc`` instead of its source, so one is harmless only if its
    code equals the source compiled here (code objects compare by bytecode,
    constants, names and line tables, not by file name). The data is unmarshalled,
    never run; anything that does not match (another Python's, a forged or
    stale one) is not Python's own.
    """
    found = _pyc_source(rel)
    if found is None or found[0] not in contents:
        return False
    source, level = found
    data = _read(target.joinpath(*rel.parts), 64 * len(contents[source]) + READ_SLACK)
    if data is None or len(data) < 16 or data[:4] != importlib.util.MAGIC_NUMBER:
        return False
    try:
        code = marshal.loads(data[16:])
        if not isinstance(code, types.CodeType):
            return False
        expected = compile(contents[source], str(source), "exec", dont_inherit=True, optimize=level)
        return bool(code == expected)
    except Exception:  # noqa: BLE001 - malformed data is simply not Python's own
        return False


def _derived(rel: PurePosixPath, kind: str, modules: Container[PurePosixPath]) -> bool:
    """A bytecode cache entry of one of docgen's `modules` (or an empty ``__pycache__``)."""
    if kind == FOLDER and rel.name == "__pycache__":
        return True
    found = _pyc_source(rel)
    return kind == FILE and found is not None and found[0] in modules


def _owned(target: Path, kinds: Mapping[PurePosixPath, str]) -> set[PurePosixPath] | None:
    """What docgen wrote in `target`: its manifest's list, or for a package made
    before manifests, the modules its `_registry.py` names; None if neither."""
    if kinds.get(PurePosixPath(MANIFEST)) == FILE:
        data = _read(target / MANIFEST, 64 << 20)
        listed = _parse_manifest(data) if data is not None else None
        return None if listed is None else listed | {PurePosixPath(MANIFEST)}
    if kinds.get(PurePosixPath("_registry.py")) == FILE:
        data = _read(target / "_registry.py", 64 << 20)
        return _legacy_files(data) if data is not None else None
    return None


def _safe_rel(text: str) -> PurePosixPath | None:
    pure = PurePosixPath(text)
    if not text or pure.is_absolute() or any(p in ("", ".", "..") for p in text.split("/")):
        return None
    return pure


def _parse_manifest(data: bytes) -> set[PurePosixPath] | None:
    listed: set[PurePosixPath] = set()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        digest, sep, path = line.partition("  ")
        rel = _safe_rel(path)
        if not sep or len(digest) != 64 or rel is None:
            return None
        listed.add(rel)
    return listed


def _legacy_files(data: bytes) -> set[PurePosixPath] | None:
    """The files a docgen build without a manifest wrote, from its `_registry.py`
    (parsed, never run): each type's module, the packages' `__init__.py` files,
    `_registry.py`, `_runtime.py` and `py.typed`."""
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError):
        return None
    for node in tree.body:
        target: ast.expr | None = node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        value = getattr(node, "value", None)
        if not (isinstance(target, ast.Name) and target.id == "TYPES" and value is not None):
            continue
        try:
            types_ = ast.literal_eval(value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return None
        if not isinstance(types_, dict):
            return None
        files = {PurePosixPath(name) for name in LEGACY_FILES}
        for entry in types_.values():
            if not (isinstance(entry, tuple) and entry and isinstance(entry[0], str)):
                return None
            rel = _safe_rel(entry[0].replace(".", "/") + ".py")
            if rel is None:
                return None
            files.add(rel)
            files.update(parent / "__init__.py" for parent in rel.parents)
        return files
    return None


def _display(package: str, rel: PurePosixPath) -> str:
    return f"{package}/{rel}" if rel.parts else package


def _note(rel: PurePosixPath, kind: str) -> str | None:
    if kind == FILE:
        return COMPILED_NOTE if _is_compiled(rel) else None
    return KIND_NOTE[kind]


def _notes(package: str, entries: Mapping[PurePosixPath, str]) -> dict[str, str]:
    notes: dict[str, str] = {}
    for rel, kind in entries.items():
        note = _note(rel, kind)
        if note:
            notes[_display(package, rel)] = note
    return notes


def _listing(target: Path, rels: list[PurePosixPath], most: int = 3) -> str:
    shown = ", ".join(str(target.joinpath(*r.parts)) for r in rels[:most])
    return shown + (f" and {len(rels) - most} more" if len(rels) > most else "")


@dataclass(frozen=True)
class _Plan:
    same: frozenset[PurePosixPath]  # expected files already on disk, byte for byte
    remove: frozenset[PurePosixPath]  # docgen's entries (and their bytecode) to drop
    keep: dict[PurePosixPath, str]  # entries docgen did not write: kept, reported
    carry: frozenset[PurePosixPath]  # Python's own bytecode of unchanged modules: kept quietly


def _plan(
    target: Path,
    package: str,
    kinds: Mapping[PurePosixPath, str],
    contents: Mapping[PurePosixPath, bytes],
    force: bool,
) -> _Plan:
    """Sort what is on disk into docgen's, Python's and the user's; refuse to take
    over a folder docgen did not make, or to overwrite a file it did not write."""
    same = frozenset(
        rel
        for rel, data in contents.items()
        if kinds.get(rel) == FILE and _read(target.joinpath(*rel.parts), len(data)) == data
    )
    owned = _owned(target, kinds)
    made_by_docgen = owned is not None
    owned = (owned or set()) | same
    modules = owned | set(contents)
    folders = {parent for rel in contents for parent in rel.parents}
    remove: set[PurePosixPath] = set()
    keep: dict[PurePosixPath, str] = {}
    carry: set[PurePosixPath] = set()
    for rel, kind in kinds.items():
        if rel in owned:
            if rel not in contents:
                remove.add(rel)
        elif _derived(rel, kind, modules):
            source = _pyc_source(rel)
            unchanged = source is not None and source[0] in same  # else stale: no compile
            if kind == FILE and unchanged and _pythons_own(target, rel, contents):
                carry.add(rel)
            elif kind != FOLDER:
                remove.add(rel)
        elif not (kind == FOLDER and rel in folders):  # an empty folder docgen now fills
            keep[rel] = kind
    if keep and not made_by_docgen and not force:
        raise OutputError(
            target,
            f"not made by docgen (it has no {MANIFEST}) and holds "
            f"{len(keep)} {'entry' if len(keep) == 1 else 'entries'} docgen did not write "
            f"({_listing(target, sorted(keep))}); nothing written",
            "to build into it anyway, keeping those",
        )
    clash = sorted(
        rel
        for rel in keep
        if rel in contents or rel in folders or any(p in contents for p in rel.parents)
    )
    if clash and not force:
        raise OutputError(
            target,
            f"docgen would overwrite {len(clash)} "
            f"{'entry' if len(clash) == 1 else 'entries'} it did not write "
            f"({_listing(target, clash)}); nothing written",
            "to overwrite them",
        )
    for rel in clash:
        del keep[rel]
        remove.add(rel)
    return _Plan(same, frozenset(remove), keep, frozenset(carry))


_FD_WALK = os.open in os.supports_dir_fd and os.scandir in os.supports_fd
_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _walk(
    root: Path,
) -> Iterator[tuple[str, tuple[str, ...], int, str]]:
    """Everything below `root`, depth first, in name order, not following links.

    Yields ("file", parts, fd, name) for each non-folder (`parts` its folder
    below `root`, `fd` that folder open, valid until the next step) and
    ("leave", parts, fd, name) after a folder's contents, with its parent's
    fd. Iterative, holding one folder open at a time and never building a
    long path (a folder thousands deep, past PATH_MAX, is walked like any
    other): no RecursionError, no ENAMETOOLONG, no running out of fds.
    """
    fd = os.open(root, _DIR)
    listings = [_entries_of(fd)]
    stats = [os.fstat(fd)]
    parts: list[str] = []
    try:
        while listings:
            if listings[-1]:
                name, is_dir = listings[-1].pop()
                if not is_dir:
                    yield "file", tuple(parts), fd, name
                    continue
                try:
                    child = os.open(name, _DIR | _NOFOLLOW, dir_fd=fd)
                except OSError:
                    yield "leave", tuple(parts), fd, name
                    continue
                os.close(fd)
                fd = child
                parts.append(name)
                listings.append(_entries_of(fd))
                stats.append(os.fstat(fd))
                continue
            listings.pop()
            stats.pop()
            if not listings:
                break
            parent = os.open("..", _DIR, dir_fd=fd)
            st = os.fstat(parent)
            if (st.st_dev, st.st_ino) != (stats[-1].st_dev, stats[-1].st_ino):
                os.close(parent)
                raise OSError(errno.ESTALE, "folder moved while it was walked", str(root))
            os.close(fd)
            fd = parent
            name = parts.pop()
            yield "leave", tuple(parts), fd, name
    finally:
        os.close(fd)


def _entries_of(fd: int) -> list[tuple[str, bool]]:
    """(name, is a real folder) of a folder's entries, last name first (popped in order)."""
    with os.scandir(fd) as entries:
        found = [(e.name, e.is_dir(follow_symlinks=False)) for e in entries]
    return sorted(found, reverse=True)


def _remove_tree(path: Path) -> None:
    """`shutil.rmtree(path)` for a tree of any depth (see `_walk`)."""
    if path.is_symlink() or not path.is_dir():
        return
    if not _FD_WALK:  # pragma: no cover - Windows
        shutil.rmtree(path, ignore_errors=True)
        return
    try:
        for kind, _, fd, name in _walk(path):
            try:
                if kind == "file":
                    os.unlink(name, dir_fd=fd)
                else:
                    os.rmdir(name, dir_fd=fd)
            except OSError:
                pass
        path.rmdir()
    except OSError:
        pass


def write_tree(
    files: dict[str, str], out: Path, package: str, *, force: bool = False
) -> WriteResult:
    """Replace docgen's files in ``out/<package>/`` with exactly `files`, completely
    or not at all, keeping (and reporting) everything it did not write.

    Keys of `files` are POSIX paths relative to `out` and must lie inside the
    package folder. Text is written as UTF-8 bytes, newlines untouched, with the
    manifest listing them. Files whose bytes are unchanged are hard-linked (or
    copied with their times) from the old tree, so they keep their modification
    time; nothing outside the package folder is touched, except leftovers of a
    killed run beside it. Raises `OutputError` (writing nothing) for a folder
    docgen did not make or a file it did not write in its way, unless `force`.
    """
    contents = _validated(files, package)
    target = out / package
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(
            out, "a file where the output folder should be; nothing written"
        ) from None
    except OSError as exc:
        raise OutputError(out, f"cannot create the output folder ({exc.strerror})") from None
    if not out.is_dir():
        raise OutputError(out, "not a folder, where the output folder should be; nothing written")
    with _locked(out):
        _recover(out, package)
        try:
            mode = os.lstat(target).st_mode
        except FileNotFoundError:
            mode = None
        if mode is not None and not stat.S_ISDIR(mode):
            what = "a symbolic link" if stat.S_ISLNK(mode) else "a file"
            raise OutputError(target, f"{what} where the package folder should be; nothing written")
        kinds = _scan(target)
        plan = _plan(target, package, kinds, contents, force)
        manifest = PurePosixPath(MANIFEST)
        written = sum(1 for rel in contents if rel not in plan.same and rel != manifest)
        unchanged = sum(1 for rel in plan.same if rel != manifest)
        removed = sum(1 for rel in plan.remove if not _is_compiled(rel))
        result = WriteResult(
            written,
            unchanged,
            removed,
            tuple(_display(package, rel) for rel in sorted(plan.keep)),
            _notes(package, plan.keep),
        )
        if mode is not None and len(plan.same) == len(contents) and not plan.remove:
            return result  # already up to date: touch nothing at all

        try:
            staging = _fresh_dir(out, f".{package}{STAGING}")
        except OSError as exc:
            raise _unwritable(out, exc) from None
        try:
            for rel, data in sorted(contents.items()):
                dest = staging.joinpath(*rel.parts)
                dest.parent.mkdir(parents=True, exist_ok=True)
                if rel not in plan.same or not _carry_over(target.joinpath(*rel.parts), dest):
                    dest.write_bytes(data)
            for rel in sorted(plan.carry):
                dest = staging.joinpath(*rel.parts)
                dest.parent.mkdir(parents=True, exist_ok=True)
                _carry_over(target.joinpath(*rel.parts), dest)
            for rel, kind in sorted(plan.keep.items()):
                _keep(target.joinpath(*rel.parts), staging.joinpath(*rel.parts), kind)
            _swap(staging, target, out, package)
        except OSError as exc:
            _remove_tree(staging)
            raise _unwritable(out, exc) from exc
        except BaseException:
            _remove_tree(staging)
            raise
    return result


def _unwritable(out: Path, exc: OSError) -> OutputError:
    """A failed write named by the output folder, not by docgen's staging folder in it."""
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(out, f"output folder is read-only ({exc.strerror}); nothing written")
    return OutputError(out, f"cannot write the package: {exc.strerror or exc}; nothing written")


# Names of the sibling folders a write uses; a killed run can leave them behind.
STAGING = ".staging-"
ASIDE = ".old-"


def _carry_over(old: Path, dest: Path) -> bool:
    """Put the unchanged file `old` at `dest` keeping its mtime; False to write it afresh."""
    try:
        if not stat.S_ISREG(os.lstat(old).st_mode):
            return False
        os.link(old, dest, follow_symlinks=False)
    except OSError:
        data = _read(old, 1 << 62)
        if data is None:
            return False
        dest.write_bytes(data)
        shutil.copystat(old, dest, follow_symlinks=False)
    return True


def _keep(old: Path, dest: Path, kind: str) -> None:
    """Put an entry docgen did not write into the new tree as it is, following nothing."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if kind == FOLDER:
        dest.mkdir(exist_ok=True)
        return
    try:
        os.link(old, dest, follow_symlinks=False)  # any kind of entry, same inode
        return
    except OSError:
        pass
    if kind == LINK:
        os.symlink(os.readlink(old), dest)
    elif kind == FILE and _carry_over(old, dest):
        pass
    elif stat.S_ISFIFO(os.lstat(old).st_mode):
        os.mkfifo(dest, stat.S_IMODE(os.lstat(old).st_mode))
    else:
        raise OutputError(old, "cannot be kept in the rebuilt package (move it away)")


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    """Serialize writers of one output folder (an flock on the folder itself, no lock file)."""
    if sys.platform == "win32":  # pragma: no cover - no flock; writers are not serialized
        yield
        return
    import fcntl

    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _recover(out: Path, package: str) -> None:
    """Undo what a killed write left: restore a tree moved aside, delete partial ones.

    Only the two-rename fallback of `_swap` can leave the package folder missing
    (killed between its renames); the old tree is then still complete aside.
    """
    leftovers = sorted(
        p
        for p in out.iterdir()
        if p.name.startswith((f".{package}{STAGING}", f".{package}{ASIDE}"))
    )
    target = out / package
    aside = [p for p in leftovers if p.name.startswith(f".{package}{ASIDE}")]
    if len(aside) == 1 and not target.exists() and not target.is_symlink():
        aside[0].rename(target)
        leftovers.remove(aside[0])
    for path in leftovers:
        _remove_tree(path)


def _fresh_dir(parent: Path, prefix: str) -> Path:
    """A new empty folder in `parent` (created with the process umask, unlike mkdtemp)."""
    while True:
        path = parent / f"{prefix}{secrets.token_hex(6)}"
        try:
            path.mkdir()
        except FileExistsError:
            continue
        return path


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2); False where unsupported."""
    if sys.platform != "linux":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    renameat2.restype = ctypes.c_int
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _swap(staging: Path, target: Path, out: Path, package: str) -> None:
    """Put the staged tree in place of the old one, then delete the old one.

    With an atomic exchange the package folder is always one complete tree.
    The fallback (two renames) has a moment with no package folder; a killed
    run is then repaired by `_recover` on the next write.
    """
    if not target.exists():
        staging.rename(target)
        return
    if _exchange(staging, target):
        _remove_tree(staging)  # now holds the old tree
        return
    aside = out / f".{package}{ASIDE}{secrets.token_hex(6)}"
    target.rename(aside)
    try:
        staging.rename(target)
    except BaseException:
        aside.rename(target)
        raise
    _remove_tree(aside)


def compare_tree(
    files: dict[str, str], out: Path, package: str, max_diff_lines: int = 400
) -> Drift:
    """How ``out/<package>/`` differs from `files` (and their manifest); writes nothing.

    Nothing there is followed or opened unless it is a regular file: links,
    pipes, sockets, empty folders and compiled Python are reported as extra (or
    as changed where a module should be), except Python's own bytecode of the
    expected modules (see `_pythons_own`). The diff covers changed files and is
    cut after `max_diff_lines` lines with a note saying how many were left out.
    """
    contents = _validated(files, package)
    target = out / package
    if os.path.lexists(target) and not stat.S_ISDIR(os.lstat(target).st_mode):
        what = "a symbolic link" if os.path.islink(target) else "a file"
        raise OutputError(target, f"{what} where the package folder should be")
    kinds = _scan(target)

    def name(rel: PurePosixPath) -> str:
        return _display(package, rel)

    changed: list[str] = []
    missing: list[str] = []
    notes: dict[str, str] = {}
    on_disk: dict[str, bytes] = {}
    for rel, data in contents.items():
        kind = kinds.get(rel)
        if kind is None:
            missing.append(name(rel))
            continue
        found = _read(target.joinpath(*rel.parts), len(data) + READ_SLACK) if kind == FILE else None
        if found == data:
            continue
        changed.append(name(rel))
        if found is None:
            notes[name(rel)] = KIND_NOTE.get(kind, "cannot be read")
        else:
            on_disk[name(rel)] = found
    extra: list[str] = []
    owned = _owned(target, kinds) or set()
    modules = owned | set(contents)
    foreign: list[str] = []
    for rel, kind in kinds.items():
        if rel in contents or (
            _derived(rel, kind, contents)
            and (kind == FOLDER or _pythons_own(target, rel, contents))
        ):
            continue
        extra.append(name(rel))
        if rel not in owned and not _derived(rel, kind, modules):
            foreign.append(name(rel))
        note = _note(rel, kind)
        if note:
            notes[name(rel)] = note

    lines: list[str] = []
    for path in sorted(on_disk):
        rel = _relative(path, package)
        old_bytes = on_disk[path]
        cut_note = len(old_bytes) > len(contents[rel]) + READ_SLACK
        old = old_bytes.decode("utf-8", errors="replace").splitlines(keepends=True)
        new = contents[rel].decode("utf-8").splitlines(keepends=True)
        for line in difflib.unified_diff(old, new, f"a/{path}", f"b/{path}"):
            lines.append(line if line.endswith("\n") else line + "\n")
        if cut_note:
            lines.append(f"... {path} on disk is larger still; the rest is not shown\n")
    if len(lines) > max_diff_lines:
        cut = len(lines) - max_diff_lines
        lines = lines[:max_diff_lines] + [f"... {cut} more lines cut\n"]
    return Drift(
        tuple(sorted(changed)),
        tuple(sorted(missing)),
        tuple(sorted(extra)),
        "".join(lines),
        notes,
        tuple(sorted(foreign)),
    )
