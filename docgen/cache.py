"""A persistent, content-addressed build cache.

Entries are keyed by a hash of *everything* their value depends on (input
bytes, docgen's own code, black's version and mode, templates), so a stale
entry is never found rather than invalidated: a hit is always a value the
uncached computation would produce again. The cache can therefore only save
time, never change output.

Robustness rules: a missing, truncated or otherwise corrupt entry is a miss
(each entry carries a digest of its payload); writes go to a temporary file
renamed into place (atomic on POSIX and Windows), so a reader never sees half
an entry; any OS error while reading or writing just disables that entry.

Location: ``$DOCGEN_CACHE_DIR`` if set, else ``.docgen-cache/`` beside the
output folder (``generated/`` -> ``./.docgen-cache/``). The folder carries its
own ``.gitignore`` and a ``CACHEDIR.TAG``; deleting it is always safe.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__

CACHE_ENV = "DOCGEN_CACHE_DIR"
DEFAULT_DIRNAME = ".docgen-cache"
_MAGIC = b"DGC1"
_DIGEST = 32  # sha256
_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by docgen.\n"
)


def default_dir(output: Path) -> Path:
    """Where the cache lives for a build into `output`."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    return output.parent / DEFAULT_DIRNAME


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
    """Bytes by (kind, key) in a folder; every failure is a miss, never an error."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.hits = 0
        self.misses = 0
        self._ready = False

    def _path(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / key

    def get(self, kind: str, key: str) -> bytes | None:
        """The payload stored under `key`, or None when absent or damaged."""
        try:
            data = self._path(kind, key).read_bytes()
        except OSError:
            self.misses += 1
            return None
        head = len(_MAGIC) + _DIGEST
        payload = data[head:]
        stored = data[len(_MAGIC) : head]
        if data[: len(_MAGIC)] != _MAGIC or hashlib.sha256(payload).digest() != stored:
            self.misses += 1
            return None
        self.hits += 1
        return payload

    def put(self, kind: str, key: str, payload: bytes) -> None:
        """Store `payload` atomically; errors (read-only disk, full disk) are ignored."""
        path = self._path(kind, key)
        try:
            self._prepare()
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(_MAGIC)
                f.write(hashlib.sha256(payload).digest())
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
            os.utime(self._path(kind, key))
        except OSError:
            pass

    def prune(self, kind: str, keep: int) -> None:
        """Delete all but the `keep` most recently written (or touched) entries of `kind`."""
        try:
            entries = [
                (path.stat().st_mtime, path)
                for path in (self.root / kind).glob("*/*")
                if not path.name.startswith(".tmp-")
            ]
            entries.sort(reverse=True)
            for _, path in entries[keep:]:
                path.unlink(missing_ok=True)
        except OSError:
            pass

    def get_text(self, kind: str, key: str) -> str | None:
        data = self.get(kind, key)
        if data is None:
            return None
        try:
            return data.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            return None

    def put_text(self, kind: str, key: str, text: str) -> None:
        self.put(kind, key, text.encode("utf-8", "surrogatepass"))

    def get_object(self, kind: str, key: str) -> Any:
        """An unpickled value, or None. Only docgen writes here (see module doc)."""
        data = self.get(kind, key)
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # noqa: BLE001 - a damaged or incompatible entry is a miss
            self.hits -= 1
            self.misses += 1
            return None

    def put_object(self, kind: str, key: str, value: object) -> None:
        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - an unpicklable value is simply not cached
            return
        self.put(kind, key, data)

    def _prepare(self) -> None:
        """Create the folder with a CACHEDIR.TAG and a .gitignore the first time."""
        if self._ready:
            return
        self.root.mkdir(parents=True, exist_ok=True)
        for name, text in (("CACHEDIR.TAG", _TAG), (".gitignore", "*\n")):
            path = self.root / name
            if not path.exists():
                try:
                    path.write_text(text, encoding="utf-8")
                except OSError:
                    pass
        self._ready = True
