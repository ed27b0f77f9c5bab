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
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
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
    print(f"runs: {args.runs} (medians)")
    for name, items in sets.items():
        n = len(items)
        j = statistics.median(runs[name][0]) / n * 1e6
        m = statistics.median(runs[name][1]) / n * 1e6
        print(f"payloads {name}: {n}")
        print(f"  json.loads + json.dumps:  {j:8.2f} us/payload")
        print(f"  from_dict + to_dict:      {m:8.2f} us/payload")
        print(f"  ratio:                    {m / j:8.2f}x")


if __name__ == "__main__":
    main()
