"""Running the `docgen` command line as a user does: a fresh process, text output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def docgen(*args: str | Path, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`python -m docgen ARGS` in `cwd`; never raises on a non-zero exit."""
    return subprocess.run(
        [sys.executable, "-m", "docgen", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
