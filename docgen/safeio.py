"""Reading files others may control (output folder, cache): no links, no pipes, bounded."""

from __future__ import annotations

import os
import stat
from pathlib import Path

_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def read_regular(path: Path | str, limit: int) -> tuple[bytes, os.stat_result]:
    """At most `limit` + 1 bytes of the regular file at `path`, and its stat.

    O_NOFOLLOW and O_NONBLOCK: a link or a pipe put there is neither followed
    nor waited on; fstat makes sure a regular file is what gets read. Reading
    one byte past `limit` lets the caller tell "exactly `limit`" from "more".
    OSError for anything that is not a readable regular file.
    """
    fd = os.open(path, _READ_FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{path}: not a regular file")
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks), info
    finally:
        os.close(fd)
