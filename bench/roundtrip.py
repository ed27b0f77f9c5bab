"""Time `from_dict` + `to_dict` against `json.loads` + `json.dumps` on the v1.0 examples.

    python bench/roundtrip.py [--runs 7] [--package-dir DIR]

Builds the v1.0 corpus package (or uses DIR, which holds `graph_models/`),
collects every response payload that round-trips (tests/examples.py; read
tolerantly, as by default, that is all of them, placeholders kept as read),
and times, in the same process and interleaved run by run:

- json: `json.dumps(json.loads(text))` for each payload's JSON text;
- models: `cls.from_dict(data).to_dict()` for each payload's parsed dict.

Prints the median of the runs as microseconds per payload and their ratio,
for the payloads that read without `problems` (the figure comparable with
earlier runtimes, which refused the others) and for all of them.

Then memory: for the largest `user` and `driveItem` response payloads of the
examples, the bytes tracemalloc counts per object over 200 of them, for
`json.loads(text)` and for `cls.from_dict(json.loads(text))` (the dict read
is dropped; what the object keeps of it counts), and their ratio.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.examples import corpus_examples  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "graph-docs-2021-07" / "api-reference" / "v1.0"


def build(out: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "docgen", "build", str(CORPUS / "resources"), "-o", str(out)],
        check=True,
        capture_output=True,
    )


def payloads(pkg: Any) -> list[tuple[Any, dict[str, Any], str, bool]]:
    """(class, payload, payload as JSON text, read without problems) for each
    payload that round-trips."""
    out = []
    for ex in corpus_examples(CORPUS / "api"):
        if ex.problem is not None:
            continue
        try:
            cls = pkg.model_for(ex.type_name)
        except KeyError:
            continue
        for p in ex.payloads:
            try:
                obj = cls.from_dict(p)
                if obj.to_dict() != p:
                    continue
            except pkg.ValidationError:
                continue
            out.append((cls, p, json.dumps(p), not getattr(obj, "problems", ())))
    return out


Items = list[tuple[Any, dict[str, Any], str, bool]]


def time_json(items: Items) -> float:
    loads, dumps = json.loads, json.dumps
    start = time.perf_counter()
    for _, _, text, _ in items:
        dumps(loads(text))
    return time.perf_counter() - start


def time_models(items: Items) -> float:
    start = time.perf_counter()
    for cls, data, _, _ in items:
        cls.from_dict(data).to_dict()
    return time.perf_counter() - start


MEMORY_TYPES = ("microsoft.graph.user", "microsoft.graph.driveItem")


def bytes_each(make: Callable[[], object], count: int = 200) -> float:
    """Bytes tracemalloc counts per object for `count` objects from `make`, kept alive."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = [make() for _ in range(count)]
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del kept
    return (after - before) / count


def memory(pkg: Any) -> list[tuple[str, int, float, float]]:
    """(type, payload bytes, dict bytes, object bytes) for the largest payload per type."""
    largest: dict[str, dict[str, Any]] = {}
    for ex in corpus_examples(CORPUS / "api"):
        if ex.problem is None and ex.type_name in MEMORY_TYPES:
            for p in ex.payloads:
                if len(json.dumps(p)) > len(json.dumps(largest.get(ex.type_name, {}))):
                    largest[ex.type_name] = p
    out = []
    for name, payload in sorted(largest.items()):
        text = json.dumps(payload)
        cls = pkg.model_for(name)
        cls.from_dict(json.loads(text))  # plans built, modules imported
        as_dict = bytes_each(lambda text=text: json.loads(text))
        as_object = bytes_each(lambda text=text, cls=cls: cls.from_dict(json.loads(text)))
        out.append((name, len(text), as_dict, as_object))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--package-dir", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.package_dir or Path(tmp)
        if args.package_dir is None:
            build(root)
        sys.path.insert(0, str(root))
        pkg = importlib.import_module("graph_models")
        every = payloads(pkg)
        sets = {"without problems": [x for x in every if x[3]], "all": every}
        time_models(every)  # warm up: plans built, modules imported
        runs: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in sets}
        for _ in range(args.runs):
            for name, items in sets.items():
                runs[name][0].append(time_json(items))
                runs[name][1].append(time_models(items))
        sizes = memory(pkg)
    print(f"runs: {args.runs} (medians)")
    for name, items in sets.items():
        n = len(items)
        j = statistics.median(runs[name][0]) / n * 1e6
        m = statistics.median(runs[name][1]) / n * 1e6
        print(f"payloads {name}: {n}")
        print(f"  json.loads + json.dumps:  {j:8.2f} us/payload")
        print(f"  from_dict + to_dict:      {m:8.2f} us/payload")
        print(f"  ratio:                    {m / j:8.2f}x")
    print("memory per object (tracemalloc, 200 objects each; target: object <= dict):")
    for name, size, as_dict, as_object in sizes:
        print(
            f"  {name} ({size} bytes of JSON): json.loads {as_dict:.0f} B, "
            f"from_dict {as_object:.0f} B, ratio {as_object / as_dict:.2f}x"
        )


if __name__ == "__main__":
    main()
