"""Time docgen on hostile inputs at 1x, 2x and 4x size: every one must scale linearly.

    python bench/pathological.py [--scale F] [--repeat N] [--case NAME ...] [--json FILE]

Each case writes its pages into a temporary folder and runs one stage of docgen
in-process (lint: discover, read, extract, resolve; build: also render, format
without the cache, write; check: build in memory and compare with a folder).
The time of a size is the CPU time (user + system; everything runs in this
process, formatting too) of the best of `--repeat` runs (default 3; more, up to 40, until the runs
of a size add up to two seconds): wall
time on a shared machine says more about the neighbours. A case passes
when the time grows at most 2.2x per doubling of its size (cases under 0.1 s at
4x pass as too fast to measure), and `json-escaped-quotes` must lint its 80 KB
page in under a second. Exit 1 when a case fails. `--scale` multiplies every
size (0.25 for a quick look).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

sys.setrecursionlimit(1000)  # the interpreter's default: no case may rely on more

from docgen.pipeline import generate, load_model  # noqa: E402
from docgen.write import (  # noqa: E402
    MANIFEST,
    MANIFEST_HEADER,
    _remove_tree,
    compare_tree,
    write_tree,
)

PACKAGE = "patho"
MAX_RATIO = 2.2
TOO_FAST = 0.1  # seconds at 4x: below it, ratios are noise
TABLE_HEAD = "| Property | Type | Description |\n|:--|:--|:--|\n"


def resource(name: str, rows: str = "", body: str = "") -> str:
    table = f"## Properties\n\n{TABLE_HEAD}{rows}\n" if rows else ""
    return f"# {name} resource type\n\nA {name}.\n\n{table}{body}"


# --- the inputs: each writes pages of about `size` units into `docs` ---


def json_representation(name: str, block: str) -> str:
    note = f'<!-- {{"blockType": "resource", "@odata.type": "microsoft.graph.{name}"}} -->'
    return f"## JSON representation\n\n{note}\n\n```json\n{block}\n```\n"


def json_escaped_quotes(docs: Path, size: int) -> None:
    """A JSON representation that is one unterminated string of escaped quotes (`size` KB)."""
    block = '{"a": "' + '\\"' * (size * 512)
    body = json_representation("quotes", block)
    (docs / "quotes.md").write_text(resource("quotes", "| a | String | x |\n", body))


def json_many_keys(docs: Path, size: int) -> None:
    """A JSON representation of `size` keys that no table lists (each a DG402 property)."""
    block = "{\n" + "".join(f'  "key{i}": "String",\n' for i in range(size)) + '  "a": "x"\n}'
    body = json_representation("keys", block)
    (docs / "keys.md").write_text(resource("keys", "| a | String | x |\n", body))


def annotation_escaped_quotes(docs: Path, size: int) -> None:
    """A resource annotation whose type is an unterminated string of escaped quotes (`size` KB)."""
    note = '<!-- {"blockType": "resource", "@odata.type": "' + '\\"' * (size * 512) + " -->\n"
    (docs / "quotes.md").write_text(resource("quotes", "| a | String | x |\n", note))


def json_whitespace(docs: Path, size: int) -> None:
    """A JSON representation with a whitespace run of `size` KB (line breaks in it)."""
    block = '{\n  "a": 1' + " \n" * (size * 512) + "  x\n}"
    body = json_representation("spaces", block)
    (docs / "spaces.md").write_text(resource("spaces", "| a | Int32 | x |\n", body))


def suggestions(docs: Path, size: int) -> None:
    """`size` types and `size` references to unknown names close to them (a "did you mean" each)."""
    for i in range(size):
        (docs / f"widget{i}.md").write_text(resource(f"widgetKind{i}", "| a | String | x |\n"))
    per_page = 500
    for start in range(0, size, per_page):
        rows = "".join(
            f"| p{i} | widgetKnd{i} | x |\n" for i in range(start, min(size, start + per_page))
        )
        (docs / f"user{start}.md").write_text(resource(f"user{start}", rows))


def clashing_names(docs: Path, size: int) -> None:
    """An enum of `size` members whose Python names are all the same (`X`) before suffixes."""
    rows = "".join(f"| x{chr(0x4E00 + i)} | The member. |\n" for i in range(size))
    page = f"# clash enum type\n\n## Members\n\n| Member | Description |\n|:--|:--|\n{rows}"
    (docs / "clash.md").write_text(page)


def huge_table(docs: Path, size: int) -> None:
    """A property table of `size` rows (past the 2,000-property limit: warned, cut)."""
    rows = "".join(f"| prop{i} | String | The prop{i} value. |\n" for i in range(size))
    (docs / "huge.md").write_text(resource("huge", rows))


def deep_namespace(docs: Path, size: int) -> None:
    """A page whose namespace has `size` parts (over the limit: warned, default namespace)."""
    ns = ".".join(["microsoft", "graph"] + ["part"] * (size - 2))
    page = resource("deep", "| a | String | x |\n").replace(
        "A deep.", f"Namespace: {ns}\n\nA deep."
    )
    (docs / "deep.md").write_text(page)


def long_name(docs: Path, size: int) -> None:
    """A type whose name is `size` KB long (over the file-name limit: warned, ignored)."""
    (docs / "long.md").write_text(resource("x" * (size * 1024), "| a | String | x |\n"))


def inheritance_chain(docs: Path, size: int) -> None:
    """`size` types, each deriving from the one before (past 32 levels: warned, cut)."""
    for i in range(size):
        base = f"Inherits from [t{i - 1}](t{i - 1}.md).\n\n" if i else ""
        page = resource(f"t{i}", f"| p{i} | String | x |\n").replace(
            f"A t{i}.", f"A t{i}.\n\n{base}"
        )
        (docs / f"t{i}.md").write_text(page)


def many_namespaces(docs: Path, size: int) -> None:
    """`size` pages, each in a namespace of its own (a subpackage each)."""
    for i in range(size):
        page = resource(f"t{i}").replace(f"A t{i}.", f"Namespace: microsoft.graph.ns{i}\n\nA t{i}.")
        (docs / f"t{i}.md").write_text(page)


def small_docs(docs: Path, size: int) -> None:
    (docs / "thing.md").write_text(resource("thing", "| a | String | x |\n"))


# --- the stages ---


def lint(docs: Path, out: Path) -> None:
    load_model([docs])


def build(docs: Path, out: Path) -> None:
    model, files = generate([docs], PACKAGE, None, cache=None, jobs=1)
    assert not model.has_errors, [d.render() for d in model.diagnostics if d.severity == "error"]
    write_tree(files, out, PACKAGE)


def deep_output_setup(out: Path, size: int) -> None:
    """A folder `size` levels deep inside the package folder (its path past PATH_MAX)."""
    here = os.getcwd()
    os.makedirs(out / PACKAGE, exist_ok=True)
    os.chdir(out / PACKAGE)
    try:
        for _ in range(size):
            os.mkdir("nested")
            os.chdir("nested")
        Path("stray.py").write_text("x = 1\n")
    finally:
        os.chdir(here)
    # docgen's own, as an older build of a `size`-part namespace would have left it:
    # listed in the manifest, so `build` removes it (a file docgen did not write is kept).
    digest = hashlib.sha256(b"x = 1\n").hexdigest()
    (out / PACKAGE / MANIFEST).write_text(
        f"{MANIFEST_HEADER}{digest}  {'nested/' * size}stray.py\n", encoding="utf-8"
    )


def check_then_build(docs: Path, out: Path) -> None:
    """`check` (reports the deep folder as extra), then `build` (removes it)."""
    model, files = generate([docs], PACKAGE, None, cache=None, jobs=1)
    drift = compare_tree(files, out, PACKAGE)
    assert drift.extra, "the deep folder was not reported"
    write_tree(files, out, PACKAGE)
    assert compare_tree(files, out, PACKAGE).clean


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path, int], None]
    size: int  # at 1x
    unit: str
    run: Callable[[Path, Path], None]
    prepare_out: Callable[[Path, int], None] | None = None


CASES = [
    Case("json-escaped-quotes", json_escaped_quotes, 20, "KB", lint),
    Case("annotation-escaped-quotes", annotation_escaped_quotes, 20, "KB", lint),
    Case("json-whitespace", json_whitespace, 320, "KB", lint),
    Case("json-many-keys", json_many_keys, 2500, "keys", lint),
    Case("suggestions", suggestions, 2000, "types+refs", lint),
    Case("clashing-names", clashing_names, 1250, "members", lint),
    Case("huge-table", huge_table, 5000, "rows", build),
    Case("huge-table-formatted", huge_table, 500, "rows", build),
    Case("deep-namespace", deep_namespace, 250, "parts", build),
    Case("long-name", long_name, 25, "KB", lint),
    Case("inheritance-chain", inheritance_chain, 600, "types", lint),
    Case("many-namespaces", many_namespaces, 500, "namespaces", lint),
    Case("deep-output-folder", small_docs, 375, "levels", check_then_build, deep_output_setup),
]


def measure(case: Case, size: int, repeat: int, work: Path) -> float:
    best = float("inf")
    spent = 0.0
    attempt = 0
    while attempt < repeat or (spent < 2.0 and attempt < 40):  # small cases: more runs
        attempt += 1
        root = work / f"{case.name}-{size}-{attempt}"
        docs, out = root / "docs", root / "out"
        docs.mkdir(parents=True)
        out.mkdir()
        case.make(docs, size)
        if case.prepare_out is not None:
            case.prepare_out(out, size)
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
            start = time.process_time()
            case.run(docs, out)
            took = time.process_time() - start
            best = min(best, took)
            spent += took
        _remove_tree(root)  # iterative: a deep-output-folder left by a failed run is deep
    return best


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--case", action="append", choices=[c.name for c in CASES])
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)

    chosen = [c for c in CASES if not args.case or c.name in args.case]
    print("| case | 1x size | 1x s | 2x s | 4x s | 2x/1x | 4x/2x | ok |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    results = []
    failed = False
    with tempfile.TemporaryDirectory(prefix="docgen-patho-") as tmp:
        warm_up = Case("warm-up", small_docs, 1, "", build)
        measure(warm_up, 1, 1, Path(tmp))  # first-use costs (imports, templates) off the clock
        for case in chosen:
            base = max(1, round(case.size * args.scale))
            times = [measure(case, base * k, args.repeat, Path(tmp)) for k in (1, 2, 4)]
            ratios = [times[1] / times[0], times[2] / times[1]]
            ok = max(ratios) <= MAX_RATIO or times[2] < TOO_FAST
            if case.name == "json-escaped-quotes" and base * 4 >= 80 and times[2] >= 1.0:
                ok = False
            failed |= not ok
            verdict = "yes" if ok else "NO"
            if ok and max(ratios) > MAX_RATIO:
                verdict = "yes (too fast to measure)"
            print(
                f"| {case.name} | {base} {case.unit} | "
                + " | ".join(f"{t:.3f}" for t in times)
                + f" | {ratios[0]:.2f} | {ratios[1]:.2f} | {verdict} |",
                flush=True,
            )
            results.append(
                {"case": case.name, "size": base, "unit": case.unit, "seconds": times, "ok": ok}
            )
    if args.json:
        args.json.write_text(json.dumps({"max_ratio": MAX_RATIO, "cases": results}, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
