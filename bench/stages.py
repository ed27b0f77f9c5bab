"""Where docgen's time goes: one build in-process, timed per stage, as JSON.

    python bench/stages.py DOCS OUT [--no-cache] [--jobs N]

Run by bench/run.py in a fresh interpreter per scenario (cold, warm, one page
changed). Prints {"stages": {...}, "counts": {...}, "total": s}.

Stages are wall seconds of the main process. Type modules are rendered and
formatted together (in the pool's workers when there are many), so "render" is
the main process's part before them (planning, cache look-ups) and "format" the
wait for the modules (the main process renders the package files meanwhile);
counts "render_cpu_ms" and "format_cpu_ms" split that work, summed over the
processes that did it (with --jobs 1, all in-process), and "modules_cached" is
how many modules came from the cache.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

START = time.perf_counter()

from docgen.cache import open_cache  # noqa: E402 - timed from interpreter start
from docgen.format import default_jobs  # noqa: E402
from docgen.pipeline import Timings, generate  # noqa: E402
from docgen.write import write_tree  # noqa: E402

IMPORTED = time.perf_counter()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("docs", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--package", default="graph_models")
    args = parser.parse_args(argv)

    timings = Timings()
    timings.stages["import"] = IMPORTED - START
    cache = None if args.no_cache else open_cache(args.out)
    model, files = generate(
        [args.docs], args.package, None, cache=cache, jobs=args.jobs, timings=timings
    )
    if model.has_errors:
        print("docs have errors", file=sys.stderr)
        return 1
    with timings.stage("write"):
        write_tree(files, args.out, args.package)
    json.dump(
        {
            "stages": timings.stages,
            "counts": timings.counts,
            "total": time.perf_counter() - START,
            "pid": os.getpid(),
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
