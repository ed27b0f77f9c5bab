"""A persistent, content-addressed build cache that holds only authenticated plain data.

Entries are keyed by a hash of *everything* their value depends on (input
bytes, docgen's own code, black's version and mode, templates), so a stale
entry is never found rather than invalidated: a hit is always a value the
uncached computation would produce again. The cache can therefore only save
time, never change output.

Trust: the folder is treated as hostile. Every entry carries an HMAC-SHA256
under a secret only the user holds (``$DOCGEN_CACHE_KEY``, else a random key
made once in ``$XDG_CONFIG_HOME/docgen/cache-key``, mode 0600) over its kind,
its key and its payload, so an entry nobody holding the secret wrote, or one
moved to another key, is a miss. Payloads are text or `marshal` of built-in
types (never pickle), decoded only after the HMAC matches, into the model's
dataclasses by their field types (`to_data` / `from_data`). Only regular
files are read (no links followed, no FIFO opened blocking, at most
`MAX_ENTRY_BYTES`); a missing, damaged or forged entry is a miss. Writes go
to a temporary file renamed into place, so a reader never sees half an entry;
any OS error just disables that entry.

Location: ``$DOCGEN_CACHE_DIR`` if set, else a folder per output folder under
``$XDG_CACHE_HOME/docgen/`` (``~/.cache/docgen/``), made with mode 0700. A
cache folder owned by another user or writable by others is not used. The
folder carries its own ``.gitignore`` and a ``CACHEDIR.TAG``; deleting it is
always safe.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import marshal
import os
import secrets
import stat
import sys
import tempfile
import types
import typing
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from . import __version__
from .safeio import read_regular

CACHE_ENV = "DOCGEN_CACHE_DIR"
KEY_ENV = "DOCGEN_CACHE_KEY"
KEY_FILE = "cache-key"
MIN_KEY_CHARS = 16
# No entry docgen writes comes near this (the Graph corpus's whole build: ~5 MB).
MAX_ENTRY_BYTES = 256 << 20
_MAGIC = b"DGC2"
_MAC = 32  # HMAC-SHA256
_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by docgen.\n"
)
T = TypeVar("T")


class CacheUnavailable(Exception):
    """The cache cannot be used safely here (the build then runs without it)."""


def _home_dir(env: str, fallback: str) -> Path:
    value = os.environ.get(env)
    if value and os.path.isabs(value):  # the XDG spec: relative values are ignored
        return Path(value)
    try:
        return Path.home() / fallback
    except RuntimeError:  # no $HOME and no password entry
        raise CacheUnavailable(f"no home folder to keep it in (set ${env})") from None


def default_dir(output: Path) -> Path:
    """Where the cache lives for a build into `output`: ``$DOCGEN_CACHE_DIR``, else a
    folder named by a hash of `output`'s absolute path under the user's cache home."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    name = hashlib.sha256(os.fsencode(os.path.abspath(output))).hexdigest()[:32]
    return _home_dir("XDG_CACHE_HOME", ".cache") / "docgen" / name


def _private_folder(path: Path, what: str) -> None:
    """Make `path` (mode 0700 if new) and check it is a folder of ours nobody else can
    write to; a folder that fails is not used (CacheUnavailable says why)."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.stat(path)
    except OSError as exc:
        raise CacheUnavailable(f"cannot use {what} {path}: {exc.strerror}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise CacheUnavailable(f"{what} {path} is not a folder")
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        raise CacheUnavailable(f"{what} {path} belongs to another user")
    if os.name == "posix" and info.st_mode & 0o022:
        raise CacheUnavailable(f"{what} {path} is writable by other users")


def _read_regular(path: Path | str, limit: int) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file, at most `limit` of them (OSError otherwise)."""
    data, info = read_regular(path, limit)
    if len(data) > limit:
        raise OSError(f"{path}: larger than {limit} bytes")
    return data, info


def user_key() -> bytes:
    """The secret that authenticates entries: ``$DOCGEN_CACHE_KEY`` (CI passes one in),
    else the user's key file, made (random, mode 0600) on first use."""
    env = os.environ.get(KEY_ENV)
    if env is not None:
        if len(env) < MIN_KEY_CHARS:
            raise CacheUnavailable(f"${KEY_ENV} is shorter than {MIN_KEY_CHARS} characters")
        return env.encode("utf-8", "surrogateescape")
    folder = _home_dir("XDG_CONFIG_HOME", ".config") / "docgen"
    _private_folder(folder, "config folder")
    path = folder / KEY_FILE
    if not os.path.lexists(path):
        _make_key(path)
    try:
        data, info = _read_regular(path, 4096)
    except OSError as exc:
        raise CacheUnavailable(f"cannot read {path}: {exc.strerror or exc}") from None
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        raise CacheUnavailable(f"{path} belongs to another user")
    if os.name == "posix" and info.st_mode & 0o077:
        raise CacheUnavailable(f"{path} is readable or writable by others (chmod 600 it)")
    key = data.strip()
    if len(key) < MIN_KEY_CHARS:
        raise CacheUnavailable(f"{path} holds fewer than {MIN_KEY_CHARS} characters")
    return key


def _make_key(path: Path) -> None:
    """Write a new random key to `path` whole or not at all (two builds may race)."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)  # mode 0600
    except OSError as exc:
        raise CacheUnavailable(f"cannot create {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secrets.token_hex(32) + "\n")
        os.link(tmp, path)  # fails if another process made it first: theirs is kept
    except FileExistsError:
        pass
    except OSError as exc:
        raise CacheUnavailable(f"cannot create {path}: {exc.strerror}") from None
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def open_cache(output: Path) -> Cache:
    """The cache for a build into `output`, or CacheUnavailable saying why not."""
    secret = user_key()  # first: without one, no folder is made for nothing
    root = default_dir(output)
    if not os.environ.get(CACHE_ENV):
        _private_folder(root.parent, "cache folder")
    _private_folder(root, "cache folder")
    return Cache(root, secret)


def digest(*parts: str | bytes) -> str:
    """A hex sha256 over `parts`, length-prefixed so ("ab", "c") != ("a", "bc")."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


# Libraries whose behaviour shapes extraction and rendering (black has its own key).
LIBRARIES = ("markdown-it-py", "jinja2")


def _normalized(name: str) -> str:
    for ch in "-.":
        name = name.replace(ch, "_")
    return name.lower()


@lru_cache(maxsize=16)
def dist_version(name: str) -> str:
    """The installed version of distribution `name` ("?" if none), as importlib.metadata
    would find it, but read from the name of its ``NAME-VERSION.dist-info`` folder:
    importing importlib.metadata costs a build answered from the cache ~20 ms."""
    want = _normalized(name)
    for entry in sys.path:
        try:
            items = os.listdir(entry or ".")
        except OSError:  # a zip file, a missing folder
            continue
        for item in items:
            dist, sep, version = item.removesuffix(".dist-info").partition("-")
            if item.endswith(".dist-info") and sep and _normalized(dist) == want:
                return version
    from importlib import metadata  # an egg or other layout: ask the slow way

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of docgen's own source, the interpreter's and the libraries' versions.

    Part of every key whose value docgen computes, so editing docgen (even
    without bumping its version) or upgrading markdown-it-py never serves
    results of the old code.
    """
    parts: list[str | bytes] = [__version__, sys.version]
    for name in LIBRARIES:
        parts.append(f"{name}={dist_version(name)}")
    package = Path(__file__).resolve().parent
    for path in sorted(package.glob("*.py")):
        parts.append(path.name)
        try:
            parts.append(path.read_bytes())
        except OSError:
            parts.append(b"?")
    return digest(*parts)


class Cache:
    """Bytes by (kind, key) in a folder, authenticated with `secret`; every failure
    (missing, damaged, forged, not a regular file) is a miss, never an error."""

    def __init__(self, root: Path, secret: bytes) -> None:
        self.root = root
        self.secret = secret
        self.hits = 0
        self.misses = 0
        self._ready = False

    def _path(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / key

    def _mac(self, kind: str, key: str, payload: bytes) -> bytes:
        """Binds the payload to its kind and key: an entry copied to another key fails."""
        head = f"{len(kind)}:{kind}{len(key)}:{key}".encode("utf-8", "surrogatepass")
        return hmac.new(self.secret, _MAGIC + head + payload, hashlib.sha256).digest()

    def get(self, kind: str, key: str) -> bytes | None:
        """The payload stored under `key`, or None when absent, damaged or forged."""
        try:
            data, _ = _read_regular(self._path(kind, key), MAX_ENTRY_BYTES)
        except (OSError, ValueError):
            self.misses += 1
            return None
        head = len(_MAGIC) + _MAC
        payload = data[head:]
        stored = data[len(_MAGIC) : head]
        if data[: len(_MAGIC)] != _MAGIC or not hmac.compare_digest(
            self._mac(kind, key, payload), stored
        ):
            self.misses += 1
            return None
        self.hits += 1
        return payload

    def put(self, kind: str, key: str, payload: bytes) -> None:
        """Store `payload` atomically; errors (read-only disk, full disk) are ignored."""
        if len(payload) + len(_MAGIC) + _MAC > MAX_ENTRY_BYTES:
            return
        path = self._path(kind, key)
        try:
            self._prepare()
            for folder in (path.parent.parent, path.parent):
                try:
                    folder.mkdir(mode=0o700)
                except FileExistsError:
                    if not stat.S_ISDIR(os.lstat(folder).st_mode):  # a link: not ours
                        return
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(_MAGIC)
                f.write(self._mac(kind, key, payload))
                f.write(payload)
            os.replace(tmp, path)
        except OSError:
            try:
                os.unlink(tmp)
            except OSError:
                pass

    def touch(self, kind: str, key: str) -> None:
        """Mark an entry as recently used, so `prune` keeps it."""
        try:
            os.utime(self._path(kind, key), follow_symlinks=False)
        except (OSError, NotImplementedError):
            pass

    def prune(self, kind: str, keep: int) -> None:
        """Delete all but the `keep` most recently written (or touched) entries of `kind`."""
        entries: list[tuple[float, str]] = []
        try:
            with os.scandir(self.root / kind) as folders:
                for folder in folders:
                    if not folder.is_dir(follow_symlinks=False):
                        continue
                    with os.scandir(folder.path) as files:
                        for entry in files:
                            if entry.name.startswith(".tmp-"):
                                continue
                            if entry.is_file(follow_symlinks=False):
                                mtime = entry.stat(follow_symlinks=False).st_mtime
                                entries.append((mtime, entry.path))
            entries.sort(reverse=True)
            for _, path in entries[keep:]:
                try:  # another build sharing the cache may have pruned it first
                    os.unlink(path)
                except OSError:
                    pass
        except OSError:
            pass

    def get_text(self, kind: str, key: str) -> str | None:
        data = self.get(kind, key)
        if data is None:
            return None
        try:
            return data.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            self.demote()
            return None

    def put_text(self, kind: str, key: str, text: str) -> None:
        self.put(kind, key, text.encode("utf-8", "surrogatepass"))

    def get_data(self, kind: str, key: str) -> Any:
        """Plain data (built-in types only) stored by `put_data`, or None."""
        data = self.get(kind, key)
        if data is None:
            return None
        try:
            # Only bytes whose HMAC matched reach marshal: bytes docgen wrote itself.
            return marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            self.demote()
            return None

    def put_data(self, kind: str, key: str, value: Any) -> None:
        """Store `value`, built of None, bool, int, float, str, tuple, list and dict."""
        try:
            data = marshal.dumps(value, 4)
        except ValueError:  # not plain data: simply not cached
            return
        self.put(kind, key, data)

    def get_as(self, kind: str, key: str, cls: type[T]) -> T | None:
        """A `cls` (a model dataclass) stored by `put_data(to_data(value))`, or None."""
        data = self.get_data(kind, key)
        if data is None:
            return None
        try:
            return from_data(cls, data)
        except (TypeError, ValueError):
            self.demote()
            return None

    def demote(self) -> None:
        """A hit whose payload turned out unusable counts as a miss."""
        self.hits -= 1
        self.misses += 1

    def _prepare(self) -> None:
        """Create the folder with a CACHEDIR.TAG and a .gitignore the first time."""
        if self._ready:
            return
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        for name, text in (("CACHEDIR.TAG", _TAG), (".gitignore", "*\n")):
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            try:
                fd = os.open(self.root / name, flags, 0o600)
            except OSError:  # already there (or not writable): either way, move on
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
        self._ready = True


# --- plain data for the model's dataclasses -----------------------------------
#
# A frozen dataclass becomes the tuple of its field values, recursively; decoding
# follows the class's field types, so the data names no class and can make no
# object but the ones asked for.


def to_data(value: Any) -> Any:
    """`value` with every dataclass replaced by the tuple of its fields, recursively."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple(to_data(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, (tuple, list)):
        return tuple(to_data(item) for item in value)
    if isinstance(value, dict):
        return {k: to_data(v) for k, v in value.items()}
    return value


_PLAIN = (str, int, float, bool, type(None))


def from_data(cls: type[T], data: Any) -> T:
    """The `cls` instance `to_data` turned into `data` (TypeError/ValueError if it is not)."""
    decode: Callable[[Any], T] = _decoder(cls)
    return decode(data)


_DECODERS: dict[type, Callable[[Any], Any]] = {}


def _decoder(cls: type) -> Callable[[Any], Any]:
    """The decoder of one dataclass, made once from its fields' types."""
    found = _DECODERS.get(cls)
    if found is not None:
        return found
    fields = dataclasses.fields(cls)
    hints = typing.get_type_hints(cls)
    names = tuple(f.name for f in fields)
    convert = [(i, _field_decoder(hints[f.name])) for i, f in enumerate(fields)]
    plain = tuple(i for i, conv in convert if conv is _plain)
    convert = [(i, conv) for i, conv in convert if conv is not _plain]
    new = object.__new__
    size = len(names)

    def decode(data: Any) -> Any:
        if type(data) is not tuple or len(data) != size:
            raise ValueError(f"not a {cls.__name__}")
        for i in plain:
            if type(data[i]) not in _PLAIN:
                raise ValueError("not a plain value")
        values = list(data)
        for i, conv in convert:
            values[i] = conv(values[i])
        # As pickle restores a frozen dataclass: its fields, without __init__'s checks.
        obj: Any = new(cls)
        obj.__dict__.update(zip(names, values, strict=True))
        return obj

    _DECODERS[cls] = decode
    return decode


def _plain(value: Any) -> Any:
    if type(value) not in _PLAIN:
        raise ValueError("not a plain value")
    return value


def _plain_tuple(value: Any) -> tuple[Any, ...]:
    if type(value) is not tuple:
        raise ValueError("not a tuple")
    for item in value:
        if type(item) not in _PLAIN:
            raise ValueError("not a plain value")
    return value


def _field_decoder(hint: Any) -> Callable[[Any], Any]:
    """How to decode one field, from its type annotation."""
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _decoder(hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple:
        inner = _field_decoder(args[0])
        if inner is _plain:
            return _plain_tuple

        def items(value: Any) -> tuple[Any, ...]:
            if type(value) is not tuple:
                raise ValueError("not a tuple")
            return tuple(map(inner, value))

        return items
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        if len(options) == 1 and type(None) in args:
            inner = _field_decoder(options[0])
            return lambda value: None if value is None else inner(value)
    if origin is typing.Literal or hint in _PLAIN or origin in (typing.Union, types.UnionType):
        return _plain
    raise TypeError(f"no plain-data form for {hint!r}")
