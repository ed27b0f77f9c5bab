"""Write stage: put the generated package on disk all at once, or compare with it.

Only ``out/<package>/`` is managed: it is docgen's, whole (files in it that
docgen no longer generates are removed; everything else in ``out`` is left
alone). The new tree is staged next to it (same filesystem), unchanged files
are hard-linked from the old tree so they keep their modification time, and
the two are exchanged in one atomic step, so a build killed at any moment
leaves the old tree or the new one, never a mix.
"""

from __future__ import annotations

import ctypes
import difflib
import errno
import os
import secrets
import shutil
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath


@dataclass(frozen=True)
class WriteResult:
    """What `write_tree` did, relative to the previous tree."""

    written: int  # new or changed files
    unchanged: int
    removed: int


@dataclass(frozen=True)
class Drift:
    """Differences between the expected files and the tree on disk.

    Paths are POSIX, relative to the output folder, sorted. `diff` is a unified
    diff (on disk -> expected) of the changed files, cut to a bounded length.
    """

    changed: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    diff: str = ""

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
    _check_package(package)
    out: dict[PurePosixPath, bytes] = {}
    for path, text in files.items():
        rel = _relative(path, package)
        if rel in out:
            raise ValueError(f"duplicate path {path!r}")
        out[rel] = text.encode("utf-8")
    dirs = {parent for rel in out for parent in rel.parents}
    clash = sorted(str(rel) for rel in out if rel in dirs)
    if clash:
        raise ValueError(f"paths used both as file and folder: {clash}")
    return out


def _read_tree(root: Path) -> dict[PurePosixPath, bytes]:
    """Files under `root` (not following links), skipping bytecode caches."""
    found: dict[PurePosixPath, bytes] = {}
    if not root.is_dir():
        return found
    if not _FD_WALK:  # pragma: no cover - Windows: no folder fds; os.walk recurses
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d != "__pycache__"]
            for name in filenames:
                if not name.endswith(".pyc"):
                    path = Path(dirpath, name)
                    rel = PurePosixPath(path.relative_to(root).as_posix())
                    try:
                        found[rel] = path.read_bytes()
                    except OSError:
                        found[rel] = b""
        return found
    for kind, parts, fd, name in _walk(root, skip=lambda d: d == "__pycache__"):
        if kind != "file" or name.endswith(".pyc"):
            continue
        try:
            with os.fdopen(os.open(name, os.O_RDONLY, dir_fd=fd), "rb") as f:
                found[PurePosixPath(*parts, name)] = f.read()
        except OSError:
            found[PurePosixPath(*parts, name)] = b""
    return found


_FD_WALK = os.open in os.supports_dir_fd and os.scandir in os.supports_fd
_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _walk(
    root: Path, skip: Callable[[str], bool] = lambda name: False
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
    listings = [_listing(fd)]
    stats = [os.fstat(fd)]
    parts: list[str] = []
    try:
        while listings:
            if listings[-1]:
                name, is_dir = listings[-1].pop()
                if not is_dir:
                    yield "file", tuple(parts), fd, name
                    continue
                if skip(name):
                    continue
                try:
                    child = os.open(name, _DIR | _NOFOLLOW, dir_fd=fd)
                except OSError:
                    yield "leave", tuple(parts), fd, name
                    continue
                os.close(fd)
                fd = child
                parts.append(name)
                listings.append(_listing(fd))
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


def _listing(fd: int) -> list[tuple[str, bool]]:
    """(name, is a real folder) of a folder's entries, last name first (popped in order)."""
    with os.scandir(fd) as entries:
        found = [(e.name, e.is_dir(follow_symlinks=False)) for e in entries]
    return sorted(found, reverse=True)


def _remove_tree(path: Path) -> None:
    """`_remove_tree(path)` for a tree of any depth (see `_walk`)."""
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


def write_tree(files: dict[str, str], out: Path, package: str) -> WriteResult:
    """Replace ``out/<package>/`` with exactly `files`, completely or not at all.

    Keys of `files` are POSIX paths relative to `out` and must lie inside the
    package folder. Text is written as UTF-8 bytes, newlines untouched. Files
    whose bytes are unchanged are hard-linked (or copied with their times) from
    the old tree, so they keep their modification time; nothing outside the
    package folder is touched, except leftovers of a killed run beside it.
    """
    contents = _validated(files, package)
    out.mkdir(parents=True, exist_ok=True)
    target = out / package
    with _locked(out):
        _recover(out, package)
        if target.is_symlink() or (target.exists() and not target.is_dir()):
            raise ValueError(f"{target} exists and is not a folder")
        previous = _read_tree(target)
        same = {rel for rel, data in contents.items() if previous.get(rel) == data}
        stale = sum(1 for rel in previous if rel not in contents)
        result = WriteResult(written=len(contents) - len(same), unchanged=len(same), removed=stale)
        if target.is_dir() and not result.written and not result.removed:
            return result  # already up to date: touch nothing at all

        staging = _fresh_dir(out, f".{package}{STAGING}")
        try:
            for rel, data in sorted(contents.items()):
                dest = staging.joinpath(*rel.parts)
                dest.parent.mkdir(parents=True, exist_ok=True)
                if rel not in same or not _carry_over(target.joinpath(*rel.parts), dest):
                    dest.write_bytes(data)
            _swap(staging, target, out, package)
        except BaseException:
            _remove_tree(staging)
            raise
    return result


# Names of the sibling folders a write uses; a killed run can leave them behind.
STAGING = ".staging-"
ASIDE = ".old-"


def _carry_over(old: Path, dest: Path) -> bool:
    """Put the unchanged file `old` at `dest` keeping its mtime; False to write it afresh."""
    if old.is_symlink() or not old.is_file():
        return False
    try:
        os.link(old, dest)
    except OSError:
        try:
            shutil.copy2(old, dest)
        except OSError:
            return False
    return True


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
    """How ``out/<package>/`` differs from `files`; writes nothing.

    Extra files are those on disk that `files` lacks, ignoring ``__pycache__``
    and ``*.pyc``. The diff covers changed files and is cut after
    `max_diff_lines` lines with a note saying how many were left out.
    """
    contents = _validated(files, package)
    on_disk = _read_tree(out / package)

    def name(rel: PurePosixPath) -> str:
        return f"{package}/{rel}"

    changed = sorted(name(r) for r, d in contents.items() if r in on_disk and on_disk[r] != d)
    missing = sorted(name(r) for r in contents if r not in on_disk)
    extra = sorted(name(r) for r in on_disk if r not in contents)

    lines: list[str] = []
    for path in changed:
        rel = _relative(path, package)
        old = on_disk[rel].decode("utf-8", errors="replace").splitlines(keepends=True)
        new = contents[rel].decode("utf-8").splitlines(keepends=True)
        for line in difflib.unified_diff(old, new, f"a/{path}", f"b/{path}"):
            lines.append(line if line.endswith("\n") else line + "\n")
    if len(lines) > max_diff_lines:
        cut = len(lines) - max_diff_lines
        lines = lines[:max_diff_lines] + [f"... {cut} more lines cut\n"]
    return Drift(tuple(changed), tuple(missing), tuple(extra), "".join(lines))
